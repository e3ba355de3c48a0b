import CReceiveQueue
import NIOCore
import Synchronization

/// How far behind a UDP socket's reader is: how long the last datagram read waited in the
/// kernel's receive queue, how full that queue is now, and whether it overflowed lately.
public struct ReceiveQueueLoad: Sendable, Equatable {
    public var waited: TimeAmount
    public var queuedBytes: Int
    public var capacityBytes: Int
    /// Datagrams the kernel dropped, for want of room in the queue, since it was read before.
    public var dropped: Int

    public init(waited: TimeAmount, queuedBytes: Int, capacityBytes: Int, dropped: Int = 0) {
        self.waited = waited
        self.queuedBytes = queuedBytes
        self.capacityBytes = capacityBytes
        self.dropped = dropped
    }
}

/// Reads one socket's queue (an ioctl and a getsockopt, a few hundred nanoseconds) for each
/// datagram that may be a new call, on the socket's event loop.
final class ReceiveQueueProbe: Sendable {
    private let socket: CInt
    /// The kernel's drop count at the read before; only the loop reading the socket touches it.
    private let drops = Atomic<UInt32>(0)

    init(socket: CInt) {
        self.socket = socket
    }

    func read() -> ReceiveQueueLoad {
        var state = receive_queue_state()
        _ = receive_queue_read(socket, &state)
        let before = drops.exchange(state.drops, ordering: .relaxed)
        return ReceiveQueueLoad(waited: .nanoseconds(state.waited_ns), queuedBytes: Int(state.queued_bytes),
                                capacityBytes: Int(state.capacity_bytes), dropped: Int(state.drops &- before))
    }
}
