import XMLConfig

/// `event_socket.conf`, with FreeSWITCH's defaults except the listen address, which stays on
/// loopback unless the operator says otherwise.
public struct EventSocketConfiguration: Hashable, Sendable {
    public var listenIP: String
    public var listenPort: Int
    public var password: String
    /// The ACL that clients must pass; FreeSWITCH uses `loopback.auto` when none is set.
    public var applyInboundACL: String

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
                guard let port = Int(parameter.value), (1...65535).contains(port) else {
                    diagnostics.append(Diagnostic(.error, at: parameter.location, element: "<param name=\"listen-port\">",
                                                  "\"\(parameter.value)\" is not a port number (1-65535)"))
                    continue
                }
                result.listenPort = port
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
