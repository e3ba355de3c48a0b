import XMLConfig

/// Everything the service reads from `conf/` and `dialplan/`, as plain immutable values.
public struct Configuration: Sendable {
    public var variables: [String: String]
    /// nil when no `distributor.conf` was found.
    public var distributor: DistributorConfiguration?
    public var eventSocket: EventSocketConfiguration
    public var metrics = MetricsConfiguration()
    public var accessControlLists: [AccessControlList]
    public var profiles: [SIPProfile]
    public var dialplan: [DialplanContext]
    public var diagnostics: [Diagnostic]

    public init(
        variables: [String: String] = [:],
        distributor: DistributorConfiguration? = nil,
        eventSocket: EventSocketConfiguration = EventSocketConfiguration(),
        accessControlLists: [AccessControlList] = [],
        profiles: [SIPProfile] = [],
        dialplan: [DialplanContext] = [],
        diagnostics: [Diagnostic] = []
    ) {
        self.variables = variables
        self.distributor = distributor
        self.eventSocket = eventSocket
        self.accessControlLists = accessControlLists
        self.profiles = profiles
        self.dialplan = dialplan
        self.diagnostics = diagnostics
    }

    public func profile(named name: String) -> SIPProfile? {
        profiles.first { $0.name == name }
    }

    public func accessControlList(named name: String) -> AccessControlList? {
        accessControlLists.first { $0.name.lowercased() == name.lowercased() }
    }
}
