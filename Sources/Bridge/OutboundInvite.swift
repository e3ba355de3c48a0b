import Configuration
import Dialplan
import Gateways
import SIPMessage
import SIPTransport
import TextTrimming

/// The INVITE of an outgoing leg: a new dialog (own Call-ID, tags, branch) carrying the
/// caller's SDP unchanged, addressed as the gateway's parameters say (behaviour spec §2.1).
enum OutboundInvite {
    /// Every outgoing leg's first INVITE.
    static let cseq = CSeq(number: 1, method: "INVITE")

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
        let uri: SIPURI
        if destination.containsByte(UInt8(ascii: "@")) {
            uri = try sipURI(destination)
        } else {
            uri = try sipURI(TextBuilder.text(capacity: 8 + settings.destinationPrefix.utf8.count + destination.utf8.count + settings.proxy.utf8.count) { target in
                target.append(settings.destinationPrefix)
                target.append(destination)
                target.append("@")
                target.append(settings.proxy)
            })
        }
        let gatewayHost = settings.fromDomain ?? settings.proxy
        // With caller-id-in-from the caller's number is the From user, at our own address, as in sofia.
        let from = settings.callerIDInFrom ? (user: caller.callerIDNumber, host: stack.advertisedHost) : (user: settings.fromUser, host: gatewayHost)
        var request = base(uri: uri, from: sipAddress(user: from.user, host: from.host), identityHost: gatewayHost, caller: caller,
                           stack: stack, transport: transport, contactUser: "gw+" + settings.name)
        if let outbound = settings.outboundProxy {
            request.headers.add("Route", "<\(outbound);lr>")
        }
        return request
    }

    static func toTarget(_ target: String, caller: Caller, stack: SIPStack, transport: SIPPeer.Transport) throws -> SIPRequest {
        base(uri: try sipURI(target), from: sipAddress(user: caller.callerIDNumber, host: stack.advertisedHost), identityHost: stack.advertisedHost,
             caller: caller, stack: stack, transport: transport, contactUser: caller.callerIDNumber)
    }

    /// `target` as a URI, `sip:` put in front unless it has it (in any case).
    private static func sipURI(_ target: String) throws -> SIPURI {
        let lowercased = target.utf8.prefix(4).lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        return try SIPURI(lowercased.elementsEqual("sip:".utf8) ? target : "sip:" + target)
    }

    /// `<sip:user@host>`.
    private static func sipAddress(user: String, host: String) -> String {
        TextBuilder.text(capacity: 8 + user.utf8.count + host.utf8.count) { address in
            address.append("<sip:")
            address.append(user)
            address.append("@")
            address.append(host)
            address.append(">")
        }
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
        /// The display name in quotes, and a space after it when `spaced`.
        func appendName(to text: inout TextBuilder, spaced: Bool) {
            guard named else { return }
            text.append("\"")
            text.append(caller.callerIDName)
            text.append(spaced ? "\" " : "\"")
        }
        let tag = SIPIdentifiers.tag()
        headers.add("From", TextBuilder.text(capacity: 8 + caller.callerIDName.utf8.count + from.utf8.count + tag.utf8.count) { fromValue in
            appendName(to: &fromValue, spaced: true)
            fromValue.append(from)
            fromValue.append(";tag=")
            fromValue.append(tag)
        })
        var toURI = uri
        toURI.parameters = []
        toURI.headers = nil
        headers.add("To", TextBuilder.text(capacity: 8 + toURI.serializedCount) { to in
            to.append("<")
            to.append(toURI)
            to.append(">")
        })
        headers.add("Call-ID", SIPIdentifiers.callID())
        headers.add("CSeq", cseq.description)
        headers.add("Contact", stack.contact(user: contactUser, transport: transport))
        headers.add("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE")
        switch caller.callerIDType {
        case .rpid:
            let identity = sipAddress(user: caller.callerIDNumber, host: identityHost)
            headers.add("Remote-Party-ID", TextBuilder.text(capacity: 40 + caller.callerIDName.utf8.count + identity.utf8.count) { identityValue in
                appendName(to: &identityValue, spaced: false)
                identityValue.append(identity)
                identityValue.append(";party=calling;screen=no;privacy=off")
            })
        case .pid:
            let identity = sipAddress(user: caller.callerIDNumber, host: identityHost)
            headers.add("P-Preferred-Identity", TextBuilder.text(capacity: 4 + caller.callerIDName.utf8.count + identity.utf8.count) { identityValue in
                appendName(to: &identityValue, spaced: true)
                identityValue.append(identity)
            })
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
