import SIPMessage
import TextTrimming

/// The gateway an incoming INVITE came through, found as mod_sofia finds it
/// (`sofia_handle_sip_i_invite`): by its Request-URI alone, whose user holds `gw+NAME` (the
/// Contact a gateway registers, so a carrier's call to it names the gateway) or which carries
/// a `gw=NAME` parameter. Neither the source address nor the To header is looked at.
/// The call then runs in the gateway's context, to the destination this works out.
public struct InboundGateway: Sendable {
    public let settings: GatewaySettings
    public let destination: String

    /// nil when the Request-URI names no gateway that `gateway` knows.
    public static func find(requestURI: SIPURI, toUser: String?, gateway: (String) -> GatewaySettings?) -> InboundGateway? {
        // Without a Request-URI user, the destination is the To user, as for any call.
        let user = requestURI.user ?? toUser ?? ""
        // mod_sofia looks for `gw+` anywhere in the user but reads the name from its fourth character.
        let byName = user.containsBytes(of: "gw+")
        if byName, let settings = gateway(String(user.dropFirst(3))) {
            return InboundGateway(settings: settings, destination: destination(settings.extension, byName: true, user: user, toUser: toUser))
        }
        if let name = requestURI.parameters.value("gw"), let settings = gateway(name) {
            // A `gw=` match uses the extension only when it was configured, not the username;
            // `auto` still counts the `gw+` of a user whose name matched nothing, as sofia does.
            let target = settings.extensionParameter.map { destination($0, byName: byName, user: user, toUser: toUser) } ?? user
            return InboundGateway(settings: settings, destination: target)
        }
        return nil
    }

    /// `auto_to_user` is the To user; `auto` is the To user when the Request-URI user holds `gw+`
    /// (`byName`, whether or not its name matched) and that user otherwise; anything else is the
    /// destination itself.
    private static func destination(_ extension: String, byName: Bool, user: String, toUser: String?) -> String {
        switch `extension`.lowercased() {
        case "auto_to_user": return toUser ?? user
        case "auto": return byName ? toUser ?? user : user
        default: return `extension`
        }
    }

    /// The channel variables of the gateway's `<variables>` meant for inbound calls.
    public var variables: [(name: String, value: String)] {
        settings.variables.filter { $0.direction != .outbound }.map { ($0.name, $0.value) }
    }
}
