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
        let callerIDNumber: String
        let callerIDName: String
        /// The `X-Name` headers of `sip_h_X-Name` variables, from `headerVariables(_:)`.
        let headers: [(name: String, value: String)]
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
        let fromUser = settings.callerIDInFrom ? caller.callerIDNumber : settings.fromUser
        let fromHost = settings.fromDomain ?? settings.proxy
        var request = base(uri: uri, from: "<sip:\(fromUser)@\(fromHost)>", caller: caller, stack: stack, transport: transport,
                           contactUser: "gw+\(settings.name)")
        if let outbound = settings.outboundProxy {
            request.headers.add("Route", "<\(outbound);lr>")
        }
        return request
    }

    static func toTarget(_ target: String, caller: Caller, stack: SIPStack, transport: SIPPeer.Transport) throws -> SIPRequest {
        let uri = try SIPURI(target.lowercased().hasPrefix("sip:") ? target : "sip:" + target)
        return base(uri: uri, from: "<sip:\(caller.callerIDNumber)@\(stack.advertisedHost)>", caller: caller, stack: stack,
                    transport: transport, contactUser: caller.callerIDNumber)
    }

    private static func base(uri: SIPURI, from: String, caller: Caller, stack: SIPStack, transport: SIPPeer.Transport,
                             contactUser: String) -> SIPRequest {
        var headers = SIPHeaders()
        // Ours and the Via, Route and Content-Type added after: one allocation.
        headers.reserveCapacity(12)
        headers.add("Max-Forwards", String(max(0, (caller.invite.maxForwards ?? 70) - 1)))
        let display = caller.callerIDName.isEmpty || caller.callerIDName == caller.callerIDNumber ? "" : "\"\(caller.callerIDName)\" "
        headers.add("From", "\(display)\(from);tag=\(SIPIdentifiers.tag())")
        var toURI = uri
        toURI.parameters = []
        toURI.headers = nil
        headers.add("To", "<\(toURI)>")
        headers.add("Call-ID", SIPIdentifiers.callID())
        headers.add("CSeq", "1 INVITE")
        headers.add("Contact", stack.contact(user: contactUser, transport: transport))
        headers.add("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE")
        for (name, value) in caller.headers { headers.add(name, value) }
        if let contentType = caller.invite.contentType, !caller.invite.body.isEmpty {
            headers.add("Content-Type", contentType)
        }
        return SIPRequest(method: "INVITE", uri: uri, headers: headers, body: caller.invite.body)
    }
}
