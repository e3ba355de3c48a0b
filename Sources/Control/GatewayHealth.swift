import Synchronization

/// Which gateways are DOWN, for distributor lists with `skip-down`. The gateways layer plugs
/// its answer in once it runs; until then nothing is down.
public final class GatewayHealth: Sendable {
    private let source = Mutex<@Sendable () -> [String]>({ [] })

    public init() {}

    public func provide(_ downGateways: @escaping @Sendable () -> [String]) {
        source.withLock { $0 = downGateways }
    }

    public func downGateways() -> [String] {
        source.withLock { $0 }()
    }
}
