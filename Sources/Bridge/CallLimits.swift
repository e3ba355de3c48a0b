/// FreeSWITCH's overload limits: `max-sessions` calls at once and `sessions-per-second` new
/// calls per second; past them an INVITE gets 503 with Retry-After.
public struct CallLimits: Hashable, Sendable {
    public var maxSessions: Int
    public var sessionsPerSecond: Int

    public init(maxSessions: Int = 100_000, sessionsPerSecond: Int = 30_000) {
        self.maxSessions = maxSessions
        self.sessionsPerSecond = sessionsPerSecond
    }
}
