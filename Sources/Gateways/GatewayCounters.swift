/// The call counters `sofia status gateway` shows; the bridge counts into them.
public struct GatewayCounters: Hashable, Sendable {
    public var callsIn = 0
    public var callsOut = 0
    public var failedCallsIn = 0
    public var failedCallsOut = 0

    public init() {}
}
