/// One gateway as the status page shows it.
public struct GatewaySummary: Sendable, Hashable, Codable {
    public let name: String
    public let profile: String
    public let proxy: String
    public let registration: String
    public let status: String
    /// The last ping's round trip in milliseconds; nil before the first answer or when not pinging.
    public let pingMilliseconds: Double?
    public let pingState: String?
    public let counters: Counters

    public struct Counters: Sendable, Hashable, Codable {
        public let callsIn: Int
        public let callsOut: Int
        public let failedCallsIn: Int
        public let failedCallsOut: Int

        public init(callsIn: Int, callsOut: Int, failedCallsIn: Int, failedCallsOut: Int) {
            self.callsIn = callsIn
            self.callsOut = callsOut
            self.failedCallsIn = failedCallsIn
            self.failedCallsOut = failedCallsOut
        }
    }

    public init(name: String, profile: String, proxy: String, registration: String, status: String,
                pingMilliseconds: Double?, pingState: String?, counters: Counters) {
        self.name = name
        self.profile = profile
        self.proxy = proxy
        self.registration = registration
        self.status = status
        self.pingMilliseconds = pingMilliseconds
        self.pingState = pingState
        self.counters = counters
    }
}

extension GatewayManager {
    /// Every gateway, in configuration order.
    public func summaries() -> [GatewaySummary] {
        let records = state.withLock { state in state.order.compactMap { state.records[$0] } }
        return records.map { record in
            let counters = record.counters.value
            return GatewaySummary(
                name: record.settings.name, profile: record.settings.profile, proxy: record.settings.proxy,
                registration: record.state.rawValue, status: record.status.rawValue,
                pingMilliseconds: record.pinger?.lastRoundTrip?.inMilliseconds,
                pingState: record.pinger?.pingState,
                counters: .init(callsIn: counters.callsIn, callsOut: counters.callsOut,
                                failedCallsIn: counters.failedCallsIn, failedCallsOut: counters.failedCallsOut)
            )
        }
    }
}

extension Duration {
    var inMilliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
