import Synchronization

/// The call counters `sofia status gateway` shows; the bridge counts into them.
public struct GatewayCounters: Hashable, Sendable {
    public var callsIn = 0
    public var callsOut = 0
    public var failedCallsIn = 0
    public var failedCallsOut = 0

    public init() {}
}

/// A gateway's counters, held by reference in its record: the bridge counts into them on every
/// call without rewriting the record, which would copy it and empty the cached gateway lists.
final class GatewayCounterCell: Sendable {
    private let counters = Mutex(GatewayCounters())

    var value: GatewayCounters { counters.withLock { $0 } }

    func update(_ body: (inout GatewayCounters) -> Void) {
        counters.withLock { body(&$0) }
    }
}
