import XMLConfig

/// `event_socket.conf`, with FreeSWITCH's defaults except the listen address, which stays on
/// loopback unless the operator says otherwise.
public struct EventSocketConfiguration: Hashable, Sendable {
    public var listenIP: String
    public var listenPort: Int
    public var password: String
    /// The ACL that clients must pass; FreeSWITCH uses `loopback.auto` when none is set.
    public var applyInboundACL: String
    /// Beyond FreeSWITCH: clients at once in all, and from one address.
    public var maxConnections = 64
    public var maxConnectionsPerSource = 8
    /// Failed `auth` attempts from one address before it waits `authFailureBlockSeconds`.
    public var maxAuthFailures = 5
    public var authFailureBlockSeconds = 60

    public init(listenIP: String = "127.0.0.1", listenPort: Int = 8021, password: String = "ClueCon", applyInboundACL: String = "loopback.auto") {
        self.listenIP = listenIP
        self.listenPort = listenPort
        self.password = password
        self.applyInboundACL = applyInboundACL
    }

    static func read(_ configuration: XMLElement, into diagnostics: inout [Diagnostic]) -> EventSocketConfiguration {
        var result = EventSocketConfiguration()
        let settings = SettingsParameters.read(configuration.child(named: "settings"), into: &diagnostics)
        for parameter in settings.parameters {
            switch parameter.name {
            case "listen-ip":
                result.listenIP = parameter.value
            case "listen-port":
                result.listenPort = parameter.integer(in: 1...65535, meaning: "a port number", into: &diagnostics) ?? result.listenPort
            case "max-connections":
                result.maxConnections = parameter.integer(in: 1...100_000, meaning: "a count", into: &diagnostics) ?? result.maxConnections
            case "max-connections-per-source":
                result.maxConnectionsPerSource = parameter.integer(in: 1...100_000, meaning: "a count", into: &diagnostics)
                    ?? result.maxConnectionsPerSource
            case "max-auth-failures":
                result.maxAuthFailures = parameter.integer(in: 1...100_000, meaning: "a count", into: &diagnostics) ?? result.maxAuthFailures
            case "auth-failure-block-seconds":
                result.authFailureBlockSeconds = parameter.integer(in: 0...86_400, meaning: "a number of seconds", into: &diagnostics)
                    ?? result.authFailureBlockSeconds
            case "password":
                result.password = parameter.value
            case "apply-inbound-acl":
                result.applyInboundACL = parameter.value
            default:
                break
            }
        }
        return result
    }
}
