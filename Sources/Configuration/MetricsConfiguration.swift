import XMLConfig

/// `metrics.conf`: where the Prometheus `/metrics` endpoint and the status page listen.
/// Loopback by default; `enabled=false` turns the listener off.
public struct MetricsConfiguration: Hashable, Sendable {
    public var enabled = true
    public var listenIP = "127.0.0.1"
    public var listenPort = 8088
    /// The ACL a client's address must pass, as for the event socket (`loopback.auto` unless
    /// set): a listener moved off loopback still answers only the scrapers it names.
    public var applyInboundACL = "loopback.auto"
    /// Where `apply-inbound-acl` was set, so that a name acl.conf lacks is reported there.
    var applyInboundACLLocation: SourceLocation?

    public init() {}

    static func read(_ configuration: XMLElement, into diagnostics: inout [Diagnostic]) -> MetricsConfiguration {
        var result = MetricsConfiguration()
        let settings = SettingsParameters.read(configuration.child(named: "settings"), into: &diagnostics)
        for parameter in settings.parameters {
            switch parameter.name {
            case "enabled":
                result.enabled = switchTrue(parameter.value)
            case "listen-ip":
                result.listenIP = parameter.value
            case "apply-inbound-acl":
                result.applyInboundACL = parameter.value
                result.applyInboundACLLocation = parameter.location
            case "listen-port":
                result.listenPort = parameter.integer(in: 1...65535, meaning: "a port number", into: &diagnostics) ?? result.listenPort
            default:
                diagnostics.append(Diagnostic(.warning, at: parameter.location, element: "<param name=\"\(parameter.name)\">",
                                              "unknown metrics.conf parameter; ignored"))
            }
        }
        return result
    }
}
