/// Who may connect to the event socket: a cap on clients in all and per source address, and a
/// block on a source after repeated failed `auth`. A value type; the server supplies the time.
public struct ESLAdmission: Sendable {
    public struct Limits: Sendable, Equatable {
        public var maxConnections: Int
        public var maxConnectionsPerSource: Int
        public var maxAuthFailures: Int
        public var blockSeconds: Int

        public init(maxConnections: Int = 64, maxConnectionsPerSource: Int = 8, maxAuthFailures: Int = 5, blockSeconds: Int = 60) {
            self.maxConnections = maxConnections
            self.maxConnectionsPerSource = maxConnectionsPerSource
            self.maxAuthFailures = maxAuthFailures
            self.blockSeconds = blockSeconds
        }
    }

    public enum Decision: Equatable, Sendable {
        case admit
        case tooManyConnections
        case tooManyFromSource
        /// Refused until the block ends, `remaining` from now.
        case blocked(remaining: Duration)
    }

    private struct Source {
        var connections = 0
        var failures: [ContinuousClock.Instant] = []
        var blockedUntil: ContinuousClock.Instant?
    }

    public let limits: Limits
    private var sources: [String: Source] = [:]
    public private(set) var connections = 0

    public init(limits: Limits) {
        self.limits = limits
    }

    /// A client from `source` connects. `.admit` and `.blocked` count as connections until
    /// `closed(_:)` (a blocked client is held for a moment before its rejection, so those
    /// count too); the other refusals are closed at once and need no `closed(_:)`.
    public mutating func open(_ source: String, at now: ContinuousClock.Instant) -> Decision {
        if sources.count > 1024 { expire(at: now) }
        var entry = sources[source] ?? Source()
        guard connections < limits.maxConnections else { return .tooManyConnections }
        guard entry.connections < limits.maxConnectionsPerSource else { return .tooManyFromSource }
        entry.connections += 1
        connections += 1
        sources[source] = entry
        if let until = entry.blockedUntil, until > now { return .blocked(remaining: until - now) }
        return .admit
    }

    public mutating func closed(_ source: String) {
        guard var entry = sources[source], entry.connections > 0 else { return }
        entry.connections -= 1
        connections -= 1
        sources[source] = entry
        forgetIfIdle(source, entry)
    }

    /// A wrong password from `source`. True when this failure starts a block.
    public mutating func authFailed(_ source: String, at now: ContinuousClock.Instant) -> Bool {
        var entry = sources[source] ?? Source()
        let window = Duration.seconds(limits.blockSeconds)
        entry.failures = entry.failures.filter { now - $0 < window } + [now]
        let blocks = entry.failures.count >= limits.maxAuthFailures
        if blocks {
            entry.blockedUntil = now + window
            entry.failures = []
        }
        sources[source] = entry
        return blocks
    }

    public var trackedSources: Int { sources.count }

    private mutating func forgetIfIdle(_ source: String, _ entry: Source) {
        if entry.connections == 0 && entry.failures.isEmpty && entry.blockedUntil == nil { sources[source] = nil }
    }

    /// Forgets blocks and failures that are over; call now and then.
    public mutating func expire(at now: ContinuousClock.Instant) {
        let window = Duration.seconds(limits.blockSeconds)
        for (source, var entry) in sources {
            if let until = entry.blockedUntil, until <= now { entry.blockedUntil = nil }
            entry.failures = entry.failures.filter { now - $0 < window }
            sources[source] = entry
            forgetIfIdle(source, entry)
        }
    }
}
