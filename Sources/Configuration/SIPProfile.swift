import XMLConfig

/// A sofia profile from `conf/sip_profiles/*.xml`: its settings and its gateways.
public struct SIPProfile: Hashable, Sendable {
    public let name: String
    public let settings: SettingsParameters
    public let gateways: [GatewayDefinition]
    public let location: SourceLocation

    public var sipIP: String { settings["sip-ip"] ?? "127.0.0.1" }
    public var sipPort: Int { settings["sip-port"].flatMap { Int($0) } ?? 5060 }
    public var externalSIPIP: String? { settings["ext-sip-ip"] }
    public var context: String { settings["context"] ?? "default" }
    public var inboundACL: String? { settings["apply-inbound-acl"] }
    /// `timer-T1`, `timer-T2`, `timer-T4` in milliseconds, as sofia reads them.
    public var timerT1: Int? { settings["timer-T1"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
    public var timerT2: Int? { settings["timer-T2"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
    public var timerT4: Int? { settings["timer-T4"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }

    /// `rate-limit-requests` per second and source (0 turns the limit off), `rate-limit-burst`;
    /// nil when unset, for the stack's default.
    public var rateLimitRequests: Int? { settings["rate-limit-requests"].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } }
    public var rateLimitBurst: Int? { settings["rate-limit-burst"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
    /// `tcp-connections-per-address`: TCP connections accepted from one IP address at most (0
    /// turns the limit off); nil when unset, for the stack's default.
    public var tcpConnectionsPerAddress: Int? { settings["tcp-connections-per-address"].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } }
    /// An ACL whose sources are never rate limited.
    public var rateLimitExemptACL: String? { settings["rate-limit-exempt-acl"] }
    /// `overload-queue-delay`: milliseconds a datagram may wait in the receive queue before new
    /// INVITEs are answered 503 (0 turns it off); nil when unset, for the service's default (200).
    public var overloadQueueDelay: Int? {
        settings["overload-queue-delay"].flatMap { Int($0) }.flatMap { Self.overloadQueueDelays.contains($0) ? $0 : nil }
    }
    static let overloadQueueDelays = 0...60_000

    /// `caller-id-type`: how an outgoing INVITE carries the caller ID besides its From, as sofia
    /// does: `rpid` (Remote-Party-ID, the default), `pid` (P-Preferred-Identity) or `none`.
    public var callerIDType: CallerIDType { settings["caller-id-type"].flatMap { CallerIDType(rawValue: $0.lowercased()) } ?? .rpid }

    public func gateway(named name: String) -> GatewayDefinition? {
        gateways.first { $0.name == name }
    }

    static func read(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> SIPProfile? {
        guard let name = element[attribute: "name"], !name.isEmpty else {
            diagnostics.append(.error("missing attribute \"name\"; profile skipped", at: element))
            return nil
        }
        let settings = SettingsParameters.read(element.child(named: "settings"), into: &diagnostics)
        if let port = settings.parameter("sip-port"), Int(port.value).map({ (1...65535).contains($0) }) != true {
            diagnostics.append(Diagnostic(.error, at: port.location, element: "<param name=\"sip-port\">",
                                          "\"\(port.value)\" is not a port number (1-65535)"))
        }
        let checked: [(name: String, range: ClosedRange<Int>, meaning: String)] = [
            ("overload-queue-delay", overloadQueueDelays, "a delay in milliseconds"),
            ("rate-limit-requests", 0...1_000_000, "a count of requests per second"),
            ("rate-limit-burst", 1...10_000_000, "a count of requests"),
            ("tcp-connections-per-address", 0...65_535, "a count of connections"),
        ]
        for (name, range, meaning) in checked {
            _ = settings.parameter(name)?.integer(in: range, meaning: meaning, into: &diagnostics)
        }
        if let type = settings.parameter("caller-id-type"), CallerIDType(rawValue: type.value.lowercased()) == nil {
            diagnostics.append(Diagnostic(.warning, at: type.location, element: "<param name=\"caller-id-type\">",
                                          "\"\(type.value)\" is not rpid, pid or none; rpid is used"))
        }
        var gateways: [GatewayDefinition] = []
        for container in element.children(named: "gateways") {
            for gatewayElement in container.children(named: "gateway") {
                guard let gateway = GatewayDefinition.read(gatewayElement, into: &diagnostics) else { continue }
                if gateways.contains(where: { $0.name == gateway.name }) {
                    diagnostics.append(.warning("duplicate gateway name; ignored", at: gatewayElement))
                    continue
                }
                gateways.append(gateway)
            }
        }
        return SIPProfile(name: name, settings: settings, gateways: gateways, location: element.location)
    }
}
