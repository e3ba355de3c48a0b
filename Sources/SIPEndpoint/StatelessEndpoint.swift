import SIPMessage
import SIPTransport

/// The requests a SIP service answers by itself, whatever else it does: OPTIONS (200 with
/// Allow, Accept, Supported), requests with an unsupported `Require` (420), methods it does not
/// serve (405) or does not know (501), and in-dialog requests for dialogs it does not have
/// (481). Anything it does not answer goes to `next`.
public final class StatelessEndpoint: SIPTransactionUser {
    public static let allowedMethods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO", "UPDATE"]
    /// The Allow header value, joined once.
    static let allowHeader = allowedMethods.joined(separator: ", ")
    /// Methods defined by SIP RFCs that this service does not serve.
    static let knownMethods: Set<String> = ["REGISTER", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER", "PRACK"]
    static let supportedExtensions: Set<String> = []

    private let next: (any SIPTransactionUser)?

    public init(next: (any SIPTransactionUser)? = nil) {
        self.next = next
    }

    public func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction) {
        let allow = ("Allow", Self.allowHeader)
        if request.method != "CANCEL", let require = request.headers["Require"] {
            let unsupported = SIPGrammar.splitList(require).filter { !Self.supportedExtensions.contains($0.lowercased()) }
            if !unsupported.isEmpty {
                transaction.respond(status: 420, toTag: SIPIdentifiers.tag(), headers: [("Unsupported", unsupported.joined(separator: ", "))])
                return
            }
        }
        switch request.method {
        case "OPTIONS" where next == nil || request.toTag == nil:
            transaction.respond(status: 200, toTag: SIPIdentifiers.tag(), headers: [
                allow, ("Accept", "application/sdp"), ("Supported", ""),
            ])
        case "INVITE", "BYE", "CANCEL", "INFO", "UPDATE", "OPTIONS":
            if let next {
                next.receive(request: request, from: peer, transaction: transaction)
            } else if request.method == "INVITE" {
                transaction.respond(status: 480, reason: "No Calls Served Here", toTag: SIPIdentifiers.tag())
            } else {
                transaction.respond(status: 481, toTag: SIPIdentifiers.tag())
            }
        default:
            let status = Self.knownMethods.contains(request.method) ? 405 : 501
            transaction.respond(status: status, toTag: SIPIdentifiers.tag(), headers: [allow])
        }
    }

    public func receive(ack: SIPRequest, from peer: SIPPeer) {
        next?.receive(ack: ack, from: peer)
    }

    public func receive(strayResponse: SIPResponse, from peer: SIPPeer) {
        next?.receive(strayResponse: strayResponse, from: peer)
    }

    public func serverTransactionTimedOut(_ request: SIPRequest) {
        next?.serverTransactionTimedOut(request)
    }
}
