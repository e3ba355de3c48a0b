import CReceiveQueue
import NIOCore
import Synchronization

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
