import SIPMessage
import SIPTransport

/// One side of an established call, enough to send requests inside it (RFC 3261 §12).
struct Dialog: Sendable {
    let callID: String
    /// Our From/To value (with our tag) and theirs, as header texts.
    let local: String
    let remote: String
    /// Where in-dialog requests go: the peer's Contact.
    let remoteTarget: SIPURI
    let routeSet: [String]
    let peer: SIPPeer
    var localCSeq: UInt32

    mutating func request(_ method: String, body: [UInt8] = [], contentType: String? = nil) -> SIPRequest {
        localCSeq += 1
        var headers = SIPHeaders()
        headers.reserveCapacity(7 + routeSet.count)
        headers.add("Max-Forwards", "70")
        headers.add("From", local)
        headers.add("To", remote)
        headers.add("Call-ID", callID)
        headers.add("CSeq", "\(localCSeq) \(method)")
        for route in routeSet { headers.add("Route", route) }
        if let contentType { headers.add("Content-Type", contentType) }
        return SIPRequest(method: method, uri: remoteTarget, headers: headers, body: body)
    }

    /// The ACK of a 2xx to our INVITE with CSeq `number` (a new transaction of its own).
    func ack(cseq number: UInt32, transport: SIPPeer.Transport, host: String, port: Int) -> SIPRequest {
        var headers = SIPHeaders()
        headers.reserveCapacity(6 + routeSet.count)
        headers.add("Via", SIPStack.via(transport: transport, host: host, port: port, branch: SIPIdentifiers.branch()))
        headers.add("Max-Forwards", "70")
        headers.add("From", local)
        headers.add("To", remote)
        headers.add("Call-ID", callID)
        // At most "4294967295 ACK": a small string.
        headers.add("CSeq", TextBuilder.text(capacity: 14) { cseq in
            cseq.append(Int(number))
            cseq.append(" ACK")
        })
        for route in routeSet { headers.add("Route", route) }
        return SIPRequest(method: "ACK", uri: remoteTarget, headers: headers)
    }
}

extension Dialog {
    /// The dialog a 2xx to our INVITE sets up (RFC 3261 §12.1.2): their To, their Contact as
    /// the target (else `requestURI`), and the Record-Route in reverse as the route set.
    init(answer: SIPResponse, callID: String, local: String, requestURI: SIPURI, peer: SIPPeer, localCSeq: UInt32) {
        self.init(callID: callID, local: local, remote: answer.headers["To"] ?? "",
                  remoteTarget: answer.headers["Contact"].flatMap { try? NameAddress($0) }?.uri ?? requestURI,
                  routeSet: answer.headers.elements("Record-Route").reversed(), peer: peer, localCSeq: localCSeq)
    }
}
