/// A token bucket per source address: each source may send `requestsPerSecond` requests on
/// average and `burst` at once. Pure: the caller supplies the time, in nanoseconds.
public struct SourceRateLimiter: Sendable {
    public struct Settings: Sendable, Equatable {
        public var requestsPerSecond: Int
        public var burst: Int

        public init(requestsPerSecond: Int, burst: Int) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = max(burst, 1)
        }
    }

    public enum Decision: Equatable, Sendable {
        case admit
        /// `report` is true for the first drop from a source after a quiet period, so the
        /// caller can log once instead of once per packet.
        case drop(report: Bool)
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
        var lastReport: UInt64?
        var exempt: Bool
    }

    public let settings: Settings
    /// Beyond this many sources, idle ones are forgotten first; a source seen again starts full.
    public let capacity: Int
    private var buckets: [SourceKey: Bucket] = [:]
    private static let reportInterval: UInt64 = 10_000_000_000

    public init(settings: Settings, capacity: Int = 65_536) {
        self.settings = settings
        self.capacity = capacity
    }

    public var trackedSources: Int { buckets.count }

    public mutating func admit(_ source: SourceKey, at now: UInt64, exempt: (SourceKey) -> Bool = { _ in false }) -> Decision {
        guard var bucket = buckets[source] else {
            if buckets.count >= capacity { forgetIdle(at: now) }
            let isExempt = exempt(source)
            buckets[source] = Bucket(tokens: Double(settings.burst) - 1, updated: now, lastReport: nil, exempt: isExempt)
            return .admit
        }
        if bucket.exempt { return .admit }
        let elapsed = Double(now &- bucket.updated) / 1e9
        bucket.tokens = min(Double(settings.burst), bucket.tokens + elapsed * Double(settings.requestsPerSecond))
        bucket.updated = now
        let decision: Decision
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            decision = .admit
        } else {
            let report = bucket.lastReport.map { now &- $0 >= Self.reportInterval } ?? true
            if report { bucket.lastReport = now }
            decision = .drop(report: report)
        }
        buckets[source] = bucket
        return decision
    }

    /// Drops the sources whose bucket has refilled (they are indistinguishable from new ones);
    /// when every source is busy, drops half of them so a spoofed flood cannot grow the table.
    mutating func forgetIdle(at now: UInt64) {
        let rate = Double(settings.requestsPerSecond), burst = Double(settings.burst)
        buckets = buckets.filter { _, bucket in
            bucket.tokens + Double(now &- bucket.updated) / 1e9 * rate < burst
        }
        if buckets.count >= capacity {
            buckets = Dictionary(uniqueKeysWithValues: buckets.prefix(capacity / 2).map { ($0.key, $0.value) })
        }
    }
}

/// A source address as two words, cheap to hash: IPv4 in `low`, IPv6 in both.
public struct SourceKey: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}
