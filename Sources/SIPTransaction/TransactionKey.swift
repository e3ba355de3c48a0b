import SIPMessage

/// How requests and responses find their transaction (RFC 3261 §17.1.3, §17.2.3): the top
/// Via's branch with its sent-by and the method (an ACK belongs to its INVITE), or, for an
/// RFC 2543 peer whose branch lacks the magic cookie, the dialog and sequence identifiers.
public enum TransactionKey: Hashable, Sendable {
    case branch(String, sentBy: String, method: String)
    /// Boxed: it is rare, and inline it would make every key (in the table and the timer wheel) three times larger.
    indirect case legacy(callID: String, cseq: UInt32, method: String, fromTag: String, toTag: String, via: String, requestURI: String)

    /// The server transaction a request belongs to.
    public static func server(for request: SIPRequest) -> TransactionKey? {
        guard let via = request.topVia, let cseq = request.cseq, let callID = request.callID else { return nil }
        let method = request.method == "ACK" ? "INVITE" : request.method
        if let branch = via.branch, branch.hasPrefix(Via.magicCookie) {
            return .branch(branch, sentBy: "\(via.host.lowercased()):\(via.port ?? 5060)", method: method)
        }
        // An ACK for a non-2xx carries the To tag of the response; the INVITE had none.
        let toTag = request.method == "ACK" ? "" : request.toTag ?? ""
        return .legacy(callID: callID, cseq: cseq.number, method: method, fromTag: request.fromTag ?? "", toTag: toTag,
                       via: via.description, requestURI: request.uri.description)
    }

    /// The client transaction a response belongs to.
    public static func client(for response: SIPResponse) -> TransactionKey? {
        guard let via = response.topVia, let branch = via.branch, let cseq = response.cseq else { return nil }
        return .branch(branch, sentBy: "", method: cseq.method == "ACK" ? "INVITE" : cseq.method)
    }

    /// The key under which a client transaction we started waits for its responses.
    public static func client(branch: String, method: String) -> TransactionKey {
        .branch(branch, sentBy: "", method: method)
    }

    /// Hashes the part that tells transactions apart (the random branch, or the Call-ID and
    /// CSeq), not the whole key: equality still compares every part.
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .branch(let branch, _, _):
            hasher.combine(branch)
        case .legacy(let callID, let cseq, _, _, _, _, _):
            hasher.combine(callID)
            hasher.combine(cseq)
        }
    }

    /// A spread of keys over `count` buckets, by `fingerprint`: a lock shard without a second full hash.
    public func bucket(of count: Int) -> Int {
        Int(fingerprint % UInt32(count))
    }

    /// FNV-1a of the branch, or of the Call-ID and CSeq: what `bucket(of:)` spreads keys by,
    /// and what a table can keep beside a key to hash it without reading its strings again.
    public var fingerprint: UInt32 {
        switch self {
        case .branch(let branch, _, _):
            return FNV1a(branch).value
        case .legacy(let callID, let cseq, _, _, _, _, _):
            var hash = FNV1a(callID)
            hash.mix(cseq)
            return hash.value
        }
    }
}
