#if canImport(Glibc)
import Glibc
#endif
import CReceiveQueue
import NIOCore
import Synchronization

/// Reads one socket's queue (an ioctl and a getsockopt, a few hundred nanoseconds) for the
/// datagrams that may be new calls, on the socket's event loop.
final class ReceiveQueueProbe: Sendable {
    /// What the kernel told of the queue at one read: it holds for every datagram that read
    /// returned, whose stamp is the last one's.
    struct Sample: Sendable {
        /// When the kernel took in the datagram read last (CLOCK_REALTIME, ns; 0 if unknown).
        var stamp: Int64
        var queuedBytes: Int
        var capacityBytes: Int
        var dropped: Int
    }

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

    /// The queue now.
    func read() -> ReceiveQueueLoad {
        load(of: sample())
    }

    /// Asks the kernel: the drops are those since the sample before.
    func sample() -> Sample {
        var state = receive_queue_state()
        _ = receive_queue_read(socket, &state)
        let before = drops.exchange(state.drops, ordering: .relaxed)
        let now = Int64(NIODeadline.now().uptimeNanoseconds)
        let recent = now - lastRead.exchange(now, ordering: .relaxed) <= recentDrops.nanoseconds
        return Sample(stamp: state.stamp_ns, queuedBytes: Int(state.queued_bytes), capacityBytes: Int(state.capacity_bytes),
                      dropped: recent ? Int(state.drops &- before) : 0)
    }

    /// The load `sample` shows now: the wait runs on while the datagrams read with it are
    /// handled, so one stalled in the loop after its read has waited that long too.
    func load(of sample: Sample) -> ReceiveQueueLoad {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        let waited = sample.stamp == 0 ? 0 : max(0, Int64(clock.tv_sec) * 1_000_000_000 + Int64(clock.tv_nsec) - sample.stamp)
        let draining = trend.withLock { $0.observe(waited: waited, at: Int64(NIODeadline.now().uptimeNanoseconds)) }
        return ReceiveQueueLoad(waited: .nanoseconds(waited), queuedBytes: sample.queuedBytes, capacityBytes: sample.capacityBytes,
                                dropped: sample.dropped, draining: draining)
    }
}
