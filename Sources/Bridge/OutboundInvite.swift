import Configuration
import Dialplan
import Gateways
import SIPMessage
import SIPTransport
import TextTrimming

/// The INVITE of an outgoing leg: a new dialog (own Call-ID, tags, branch) carrying the
/// caller's SDP unchanged, addressed as the gateway's parameters say (behaviour spec §2.1).
enum OutboundInvite {
    struct Caller {
        let invite: SIPRequest
        /// The caller ID this leg presents, from `callerID(...)`.
        let callerIDNumber: String
        let callerIDName: String
        /// The header that carries the caller ID besides the From.
        let callerIDType: CallerIDType
        /// The `X-Name` headers of `sip_h_X-Name` variables, from `headerVariables(_:)`.
        let headers: [(name: String, value: String)]
    }

    /// The caller ID a leg presents, name and number each on its own, as FreeSWITCH's originate
    /// and mod_sofia settle it: a gateway's `p:caller_id_*` (set on the leg last), else the leg's
    /// `origination_caller_id_*` (`[]` over `{}`, over an exported one), else the caller's
    /// `effective_caller_id_*`, else the caller's own.
    static func callerID(name: String, number: String, callerVariables: [String: String], exports: [String: String],
                         legVariables: [String: String], profileVariables: [String: String]) -> (name: String, number: String) {
        func pick(_ field: String, _ own: String) -> String {
            profileVariables["caller_id_" + field] ?? legVariables["origination_caller_id_" + field] ?? exports["origination_caller_id_" + field]
                ?? callerVariables["effective_caller_id_" + field] ?? own
        }
        return (pick("name", name), pick("number", number))
    }

    /// The `sip_h_X-Name` variables of `layers` (a later layer's value wins: the channel's, then
    /// the exported ones, then the leg's) as `X-Name` headers, sorted by name.
    static func headerVariables(_ layers: [String: String]...) -> [(name: String, value: String)] {
        var chosen: [String: String] = [:]
        for layer in layers {
            for (name, value) in layer where name.hasPrefix("sip_h_") { chosen[name] = value }
        }
        return chosen.sorted { $0.key < $1.key }.map { (String($0.key.dropFirst("sip_h_".count)), $0.value) }
    }

    static func toGateway(_ settings: GatewaySettings, destination: String, caller: Caller, stack: SIPStack,
                          transport: SIPPeer.Transport) throws -> SIPRequest {
        let target = destination.containsByte(UInt8(ascii: "@")) ? destination : "\(settings.destinationPrefix)\(destination)@\(settings.proxy)"
        let uri = try SIPURI(target.lowercased().hasPrefix("sip:") ? target : "sip:" + target)
        let gatewayHost = settings.fromDomain ?? settings.proxy
        // With caller-id-in-from the caller's number is the From user, at our own address, as in sofia.
        let from = settings.callerIDInFrom ? (user: caller.callerIDNumber, host: stack.advertisedHost) : (user: settings.fromUser, host: gatewayHost)
        var request = base(uri: uri, from: "<sip:\(from.user)@\(from.host)>", identityHost: gatewayHost, caller: caller, stack: stack,
                           transport: transport, contactUser: "gw+\(settings.name)")
        if let outbound = settings.outboundProxy {
            request.headers.add("Route", "<\(outbound);lr>")
        }
        return request
    }

    static func toTarget(_ target: String, caller: Caller, stack: SIPStack, transport: SIPPeer.Transport) throws -> SIPRequest {
        let uri = try SIPURI(target.lowercased().hasPrefix("sip:") ? target : "sip:" + target)
        return base(uri: uri, from: "<sip:\(caller.callerIDNumber)@\(stack.advertisedHost)>", identityHost: stack.advertisedHost,
                    caller: caller, stack: stack, transport: transport, contactUser: caller.callerIDNumber)
    }

    /// `identityHost`: the host of the Remote-Party-ID or P-Preferred-Identity URI.
    private static func base(uri: SIPURI, from: String, identityHost: String, caller: Caller, stack: SIPStack, transport: SIPPeer.Transport,
                             contactUser: String) -> SIPRequest {
        var headers = SIPHeaders()
        // Ours and the Via, Route and Content-Type added after: one allocation.
        headers.reserveCapacity(12)
        headers.add("Max-Forwards", String(max(0, (caller.invite.maxForwards ?? 70) - 1)))
        // sofia leaves the display name out only when there is none (or it is "_undef_").
        let named = !caller.callerIDName.isEmpty && caller.callerIDName != "_undef_"
        headers.add("From", "\(named ? "\"\(caller.callerIDName)\" " : "")\(from);tag=\(SIPIdentifiers.tag())")
        var toURI = uri
        toURI.parameters = []
        toURI.headers = nil
        headers.add("To", "<\(toURI)>")
        headers.add("Call-ID", SIPIdentifiers.callID())
        headers.add("CSeq", "1 INVITE")
        headers.add("Contact", stack.contact(user: contactUser, transport: transport))
        headers.add("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE")
        let identity = "<sip:\(caller.callerIDNumber)@\(identityHost)>"
        switch caller.callerIDType {
        case .rpid:
            headers.add("Remote-Party-ID", "\(named ? "\"\(caller.callerIDName)\"" : "")\(identity);party=calling;screen=no;privacy=off")
        case .pid:
            headers.add("P-Preferred-Identity", "\(named ? "\"\(caller.callerIDName)\" " : "")\(identity)")
            headers.add("Privacy", "none")
        case .none:
            break
        }
        for (name, value) in caller.headers { headers.add(name, value) }
        if let contentType = caller.invite.contentType, !caller.invite.body.isEmpty {
            headers.add("Content-Type", contentType)
        }
        return SIPRequest(method: "INVITE", uri: uri, headers: headers, body: caller.invite.body)
    }
}
