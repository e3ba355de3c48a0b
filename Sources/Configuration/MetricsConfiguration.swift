import XMLConfig

/// `metrics.conf`: where the Prometheus `/metrics` endpoint and the status page listen.
/// Loopback by default; `enabled=false` turns the listener off.
public struct MetricsConfiguration: Hashable, Sendable {
    public var enabled = true
    public var listenIP = "127.0.0.1"
    public var listenPort = 8088

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
