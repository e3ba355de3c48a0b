import SIPMessage
import SIPTransport

/// The OPTIONS pings and REGISTERs a gateway sends, shaped as FreeSWITCH shapes them.
enum GatewayRequests {
    /// R-URI `sip:<target>;transport=x`, From = To = `<sip:(from-domain|proxy)>` with no user.
    static func options(_ settings: GatewaySettings, peer: SIPPeer, cseq: UInt32) -> SIPRequest {
        let domain = settings.fromDomain ?? settings.proxy
        var headers = SIPHeaders()
        headers.add("Max-Forwards", "70")
        headers.add("From", "<sip:\(domain)>;tag=\(SIPIdentifiers.tag())")
        headers.add("To", "<sip:\(domain)>")
        headers.add("Call-ID", SIPIdentifiers.callID())
        headers.add("CSeq", "\(cseq) OPTIONS")
        if let agent = settings.pingUserAgent { headers.add("User-Agent", agent) }
        let uri = (try? SIPURI("sip:\(settings.signallingTarget);transport=\(settings.registerTransport)"))
            ?? SIPURI(host: peer.ipAddress ?? "127.0.0.1", port: peer.port)
        return SIPRequest(method: "OPTIONS", uri: uri, headers: headers)
    }

    static func register(_ settings: GatewaySettings, stack: SIPStack, peer: SIPPeer, callID: String, tag: String, cseq: UInt32,
                         authorization: GatewayRegistration.AuthorizationHeader?) -> SIPRequest {
        var headers = SIPHeaders()
        headers.add("Max-Forwards", "70")
        headers.add("From", "<sip:\(settings.username)@\(settings.realm)>;tag=\(tag)")
        headers.add("To", "<sip:\(settings.username)@\(settings.realm)>")
        headers.add("Call-ID", callID)
        headers.add("CSeq", "\(cseq) REGISTER")
        // `gw+NAME`, so that a call the registrar sends to this Contact is known as the gateway's.
        var contact = "sip:\(settings.extensionInContact ? settings.extension : "gw+" + settings.name)@\(stack.advertisedHost):\(stack.port)"
        if let parameters = settings.contactParams, !parameters.isEmpty { contact += ";" + parameters }
        contact += ";transport=\(settings.registerTransport);gw=\(settings.name)"
        headers.add("Contact", "<\(contact)>")
        headers.add("Expires", String(settings.expireSeconds))
        if let authorization { headers.add(authorization.name, authorization.value) }
        let uri = (try? SIPURI("sip:\(settings.realm)")) ?? SIPURI(host: peer.ipAddress ?? "127.0.0.1", port: peer.port)
        return SIPRequest(method: "REGISTER", uri: uri, headers: headers)
    }
}
