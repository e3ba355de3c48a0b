import CReceiveQueue
import NIOCore

/// How far behind a UDP socket's reader is: how long the datagram read last waited in the
/// kernel's receive queue, and how full that queue is now.
public struct ReceiveQueueLoad: Sendable, Equatable {
    public var waited: TimeAmount
    public var queuedBytes: Int
    public var capacityBytes: Int

    public init(waited: TimeAmount, queuedBytes: Int, capacityBytes: Int) {
        self.waited = waited
        self.queuedBytes = queuedBytes
        self.capacityBytes = capacityBytes
    }

    /// The queue of `socket` now: a few hundred nanoseconds (an ioctl and a getsockopt).
    static func read(socket: CInt) -> ReceiveQueueLoad {
        var state = receive_queue_state()
        _ = receive_queue_read(socket, &state)
        return ReceiveQueueLoad(waited: .nanoseconds(state.waited_ns), queuedBytes: Int(state.queued_bytes),
                                capacityBytes: Int(state.capacity_bytes))
    }
}
