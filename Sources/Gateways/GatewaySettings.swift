import Configuration
import XMLConfig

/// A gateway's parameters with FreeSWITCH's defaults and checks (behaviour spec §2.1).
/// A class: every call reads its gateway's settings, and a reference is one retain where a
/// copy of the struct would be one per string.
public final class GatewaySettings: Sendable {
    public let name: String
    public let profile: String
    public let registers: Bool
    public let username: String
    public let password: String
    public let authUsername: String
    public let realm: String
    /// Where INVITEs go: `host[:port]`.
    public let proxy: String
    /// Route for INVITEs, as a SIP URI.
    public let outboundProxy: String?
    /// Where REGISTER and OPTIONS go, when not the proxy.
    public let registerProxy: String?
    public let fromUser: String
    public let fromDomain: String?
    /// Where an inbound call through this gateway goes (see `InboundGateway`): the `extension`
    /// parameter, else the username.
    public var `extension`: String { extensionParameter ?? username }
    /// The `extension` parameter as written (unless empty), which a `gw=` match alone uses.
    public let extensionParameter: String?
    /// The REGISTER Contact's user: the extension when true, else `gw+NAME`.
    public let extensionInContact: Bool
    public let callerIDInFrom: Bool
    /// Seconds between OPTIONS pings; 0 is off.
    public let ping: Int
    public let pingMin: Int
    public let pingMax: Int
    public let pingUserAgent: String?
    public let registerTransport: String
    public let contactParams: String?
    public let expireSeconds: Int
    public let retrySeconds: Int
    public let context: String
    public let destinationPrefix: String
    public let variables: [GatewayDefinition.Variable]
    /// The `<variables>` for legs through the gateway (direction outbound, or none), as mod_sofia
    /// sets them on the leg before anything else: the `sip_h_` ones become headers under the
    /// caller's own `sip_h_` variables, the others leg variables under the dial string's.
    public let outboundHeaderVariables: [String: String]
    public let outboundLegVariables: [String: String]
    /// The outbound `p:NAME` variables, by NAME: fields of the leg's caller profile, which mod_sofia
    /// sets last, over the dial string's `origination_caller_id_*` (`p:caller_id_number` is the
    /// caller ID every call through the gateway presents).
    public let outboundProfileVariables: [String: String]
    public let location: SourceLocation

    init(name: String, profile: String, registers: Bool, username: String, password: String, authUsername: String,
         realm: String, proxy: String, outboundProxy: String?, registerProxy: String?, fromUser: String,
         fromDomain: String?, extensionParameter: String?, extensionInContact: Bool, callerIDInFrom: Bool, ping: Int, pingMin: Int, pingMax: Int,
         pingUserAgent: String?, registerTransport: String, contactParams: String?, expireSeconds: Int, retrySeconds: Int,
         context: String, destinationPrefix: String, variables: [GatewayDefinition.Variable], location: SourceLocation) {
        self.name = name
        self.profile = profile
        self.registers = registers
        self.username = username
        self.password = password
        self.authUsername = authUsername
        self.realm = realm
        self.proxy = proxy
        self.outboundProxy = outboundProxy
        self.registerProxy = registerProxy
        self.fromUser = fromUser
        self.fromDomain = fromDomain
        self.extensionParameter = extensionParameter
        self.extensionInContact = extensionInContact
        self.callerIDInFrom = callerIDInFrom
        self.ping = ping
        self.pingMin = pingMin
        self.pingMax = pingMax
        self.pingUserAgent = pingUserAgent
        self.registerTransport = registerTransport
        self.contactParams = contactParams
        self.expireSeconds = expireSeconds
        self.retrySeconds = retrySeconds
        self.context = context
        self.destinationPrefix = destinationPrefix
        self.variables = variables
        let outbound = Dictionary(variables.filter { $0.direction != .inbound }.map { ($0.name, $0.value) }) { _, later in later }
        outboundHeaderVariables = outbound.filter { $0.key.hasPrefix("sip_h_") }
        outboundLegVariables = outbound.filter { !$0.key.hasPrefix("sip_h_") && !$0.key.hasPrefix("p:") }
        outboundProfileVariables = Dictionary(outbound.filter { $0.key.hasPrefix("p:") }.map { (String($0.key.dropFirst(2)), $0.value) }) { $1 }
        self.location = location
    }

    /// Reads a definition; nil (with the reason among the diagnostics) when FreeSWITCH would
    /// skip the gateway.
    public static func make(_ definition: GatewayDefinition, profile: SIPProfile, into diagnostics: inout [Diagnostic]) -> GatewaySettings? {
        let parameters = definition.parameters
        func warn(_ name: String, _ message: String) {
            let location = parameters.parameter(name)?.location ?? definition.location
            diagnostics.append(Diagnostic(.warning, at: location, element: "<param name=\"\(name)\">", message))
        }
        func seconds(_ name: String, default value: Int, minimum: Int = 5) -> Int {
            guard let text = parameters[name] else { return value }
            let parsed = CInteger.parse(text)
            if parsed < minimum {
                warn(name, "\"\(text)\" is below \(minimum); using \(value)")
                return value
            }
            return parsed
        }
        let registers = definition.registers
        let username = parameters["username"] ?? (registers ? "" : "FreeSWITCH")
        let proxy = parameters["proxy"] ?? parameters["realm"] ?? definition.name
        var ping = parameters["ping"].map(CInteger.parse) ?? 0
        if ping != 0 && ping < 5 {
            warn("ping", "ping must be at least 5 seconds; pinging stays off")
            ping = 0
        }
        let pingMin = max(1, parameters["ping-min"].map(CInteger.parse) ?? 1)
        let pingMax = max(1, parameters["ping-max"].map(CInteger.parse) ?? 1)
        if pingMin > pingMax {
            warn("ping-min", "ping-min \(pingMin) is above ping-max \(pingMax): pings can never bring the gateway up")
        }
        let transport = (parameters["register-transport"] ?? "udp").lowercased()
        guard ["udp", "tcp"].contains(transport) else {
            warn("register-transport", "transport \"\(transport)\" is not available (udp or tcp); gateway skipped")
            return nil
        }
        var outboundProxy = parameters["outbound-proxy"]
        if let value = outboundProxy, !value.lowercased().hasPrefix("sip:"), !value.lowercased().hasPrefix("sips:") {
            outboundProxy = "sip:" + value
        }
        return GatewaySettings(
            name: definition.name,
            profile: profile.name,
            registers: registers,
            username: username,
            password: parameters["password"] ?? "",
            authUsername: parameters["auth-username"] ?? username,
            realm: parameters["realm"] ?? proxy,
            proxy: proxy,
            outboundProxy: outboundProxy,
            registerProxy: parameters["register-proxy"],
            fromUser: parameters["from-user"] ?? username,
            fromDomain: parameters["from-domain"],
            extensionParameter: parameters["extension"].flatMap { $0.isEmpty ? nil : $0 },
            extensionInContact: switchTrue(parameters["extension-in-contact"]),
            callerIDInFrom: switchTrue(parameters["caller-id-in-from"]),
            ping: ping,
            pingMin: pingMin,
            pingMax: pingMax,
            pingUserAgent: parameters["ping-user-agent"],
            registerTransport: transport,
            contactParams: parameters["contact-params"],
            expireSeconds: seconds("expire-seconds", default: 3600),
            retrySeconds: parameters["retry-seconds"] != nil ? seconds("retry-seconds", default: 30) : seconds("retry_seconds", default: 30),
            context: parameters["context"] ?? profile.context,
            destinationPrefix: parameters["destination-prefix"] ?? "",
            variables: definition.variables,
            location: definition.location
        )
    }

    /// The host the gateway's pings and REGISTERs go to: register-proxy, else proxy.
    public var signallingTarget: String { registerProxy ?? proxy }
}
