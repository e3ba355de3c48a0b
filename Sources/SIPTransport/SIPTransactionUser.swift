import SIPMessage
import SIPTransaction

/// What the layer above the transactions (the endpoint, the gateways, the bridge) implements.
/// Calls arrive on the transport's event loop threads and must not block.
public protocol SIPTransactionUser: AnyObject, Sendable {
    /// A new request with its server transaction, CANCEL included.
    func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction)
    /// The ACK of a 2xx sent through a server transaction (it goes to the TU, RFC 3261
    /// §13.3.1.4), or an ACK that matches no transaction.
    func receive(ack: SIPRequest, from peer: SIPPeer)
    /// A response no client transaction waits for (a 2xx retransmission after Accepted).
    func receive(strayResponse: SIPResponse, from peer: SIPPeer)
    /// A server transaction ended without the peer acknowledging its final response.
    func serverTransactionTimedOut(_ request: SIPRequest)
}

extension SIPTransactionUser {
    public func receive(strayResponse: SIPResponse, from peer: SIPPeer) {}
    public func serverTransactionTimedOut(_ request: SIPRequest) {}
}

/// What a client transaction reports to whoever started it.
public enum ClientTransactionEvent: Sendable {
    case response(SIPResponse)
    /// No final response in time; act as on a 408 (RFC 3261 §8.1.3.1).
    case timedOut
    /// The transport failed; act as on a 503.
    case transportFailed
}

/// The handle a TU answers a request through.
public struct ServerTransaction: Sendable {
    let key: TransactionKey
    let stack: SIPStack
    public let request: SIPRequest

    /// Sends a response through the transaction, which retransmits it and absorbs repeats.
    public func respond(_ response: SIPResponse) {
        stack.respond(response, in: key)
    }

    /// Answers with a response built from the request.
    public func respond(status: Int, reason: String? = nil, toTag: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []) {
        var response = request.response(status: status, reason: reason, toTag: toTag, room: headers.count)
        for (name, value) in headers { response.headers.add(name, value) }
        response.body = body
        respond(response)
    }
}
