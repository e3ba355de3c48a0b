#if canImport(Glibc)
import Glibc
#endif
import Logging
import Metrics
import NIOCore
import Synchronization

/// The per-source request limit in front of the parser, shared by every socket of a stack.
/// Sharded by source so both cores rarely meet on one lock.
final class RequestRateGuard: Sendable {
    private final class Shard: Sendable {
        let limiter: Mutex<SourceRateLimiter>
        init(_ limiter: SourceRateLimiter) { self.limiter = Mutex(limiter) }
    }

    private let shards: [Shard]
    private let exempt: @Sendable (SocketAddress) -> Bool
    private let logger: Logger
    private let dropped: Counter
    private let droppedTotal = Atomic<Int>(0)

    init(settings: SourceRateLimiter.Settings, exempt: @escaping @Sendable (SocketAddress) -> Bool, profile: String, logger: Logger) {
        shards = (0..<16).map { _ in Shard(SourceRateLimiter(settings: settings, capacity: 65_536 / 16)) }
        self.exempt = exempt
        self.logger = logger
        dropped = Counter(label: "sip_rate_limited_total", dimensions: [("profile", profile)])
    }

    var droppedCount: Int { droppedTotal.load(ordering: .relaxed) }

    /// False when the request from `peer` is over its source's limit and must be dropped.
    func admit(from peer: SIPPeer) -> Bool {
        let key = peer.sourceKey
        let shard = shards[Int(truncatingIfNeeded: ((key.low ^ key.high) &* 0x9E37_79B9_7F4A_7C15) >> 60)]
        let now = NIODeadline.now().uptimeNanoseconds
        let exempt = self.exempt
        let decision = shard.limiter.withLock { $0.admit(key, at: now) { (_: SourceKey) in exempt(peer.address) } }
        guard case .drop(let report) = decision else { return true }
        droppedTotal.add(1, ordering: .relaxed)
        dropped.increment()
        if report {
            logger.warning("rate limit: dropping requests from \(peer.ipAddress ?? "?") over the per-source limit; counted in sip_rate_limited_total")
        }
        return false
    }
}

