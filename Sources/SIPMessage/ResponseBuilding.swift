extension SIPRequest {
    /// A response to this request (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied,
    /// the To tag added when given and absent; a 100 also echoes Timestamp.
    public func response(status: Int, reason: String? = nil, toTag: String? = nil) -> SIPResponse {
        var headers = SIPHeaders()
        for via in self.headers.values("Via") { headers.add("Via", via) }
        if let from = self.headers["From"] { headers.add("From", from) }
        if var to = self.headers["To"] {
            if let toTag, status > 100, (try? NameAddress(to))?.tag == nil { to += ";tag=" + toTag }
            headers.add("To", to)
        }
        if let callID = self.headers["Call-ID"] { headers.add("Call-ID", callID) }
        if let cseq = self.headers["CSeq"] { headers.add("CSeq", cseq) }
        if status == 100, let timestamp = self.headers["Timestamp"] { headers.add("Timestamp", timestamp) }
        return SIPResponse(status: status, reason: reason, headers: headers)
    }

    /// Whether its sender could match a response: the top Via (where to send it, and its
    /// branch) and the CSeq (its method) are readable. A refused request that is not answerable
    /// is dropped, not answered.
    public var isAnswerable: Bool {
        topVia != nil && cseq != nil
    }
}
