import CReceiveQueue
import NIOCore
import Synchronization

/// Reads one socket's queue (an ioctl and a getsockopt, a few hundred nanoseconds) for each
/// datagram that may be a new call, on the socket's event loop.
final class ReceiveQueueProbe: Sendable {
    private let socket: CInt
    /// Drops older than this (since a read that long ago) are not this moment's overload: the
    /// kernel's count also moves for an OPTIONS burst of an hour ago, or a bad checksum.
    private let recentDrops: TimeAmount
    /// The kernel's drop count at the read before; only the loop reading the socket touches it.
    private let drops = Atomic<UInt32>(0)
    private let lastRead = Atomic<Int64>(0)
    private let trend = Mutex(QueueTrend())

    init(socket: CInt, recentDrops: TimeAmount = .seconds(1)) {
        self.socket = socket
        self.recentDrops = recentDrops
    }

    func read() -> ReceiveQueueLoad {
        var state = receive_queue_state()
        _ = receive_queue_read(socket, &state)
        let before = drops.exchange(state.drops, ordering: .relaxed)
        let now = Int64(NIODeadline.now().uptimeNanoseconds)
        let recent = now - lastRead.exchange(now, ordering: .relaxed) <= recentDrops.nanoseconds
        let draining = trend.withLock { $0.observe(waited: state.waited_ns, at: now) }
        return ReceiveQueueLoad(waited: .nanoseconds(state.waited_ns), queuedBytes: Int(state.queued_bytes),
                                capacityBytes: Int(state.capacity_bytes), dropped: recent ? Int(state.drops &- before) : 0,
                                draining: draining)
    }
}
