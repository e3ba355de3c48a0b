import SIPMessage

/// How requests and responses find their transaction (RFC 3261 §17.1.3, §17.2.3): the top
/// Via's branch with its sent-by and the method (an ACK belongs to its INVITE), or, for an
/// RFC 2543 peer whose branch lacks the magic cookie, the dialog and sequence identifiers.
/// It carries its fingerprint, made once: the table, its lock shards and the timer wheel all
/// spread keys by it, without reading the strings again.
public struct TransactionKey: Hashable, Sendable {
    private enum Identity: Hashable, Sendable {
        case branch(String, sentBy: String, method: String)
        /// Boxed: it is rare, and inline it would make every key (in the table and the timer wheel) three times larger.
        indirect case legacy(callID: String, cseq: UInt32, method: String, fromTag: String, toTag: String, via: String, requestURI: String)
    }

    private let identity: Identity
    /// FNV-1a of the branch, or of the Call-ID and CSeq: the part that tells transactions apart.
    public let fingerprint: UInt32

    private init(_ identity: Identity) {
        switch identity {
        case .branch(let branch, _, _):
            fingerprint = FNV1a(branch).value
        case .legacy(let callID, let cseq, _, _, _, _, _):
            var hash = FNV1a(callID)
            hash.mix(cseq)
            fingerprint = hash.value
        }
        self.identity = identity
    }

    /// The server transaction a request belongs to.
    public static func server(for request: SIPRequest) -> TransactionKey? {
        guard let via = request.topVia, let cseq = request.cseq, let callID = request.callID else { return nil }
        let method = request.method == "ACK" ? "INVITE" : request.method
        if let branch = via.branch, branch.hasPrefix(Via.magicCookie) {
            let host = via.host.lowercased()
            let sentBy = TextBuilder.text(capacity: 8 + host.utf8.count) { sentBy in
                sentBy.append(host)
                sentBy.append(":")
                sentBy.append(via.port ?? 5060)
            }
            return TransactionKey(.branch(branch, sentBy: sentBy, method: method))
        }
        // An ACK for a non-2xx carries the To tag of the response; the INVITE had none.
        let toTag = request.method == "ACK" ? "" : request.toTag ?? ""
        return TransactionKey(.legacy(callID: callID, cseq: cseq.number, method: method, fromTag: request.fromTag ?? "", toTag: toTag,
                                      via: via.description, requestURI: request.uri.description))
    }

    /// The client transaction a response belongs to.
    public static func client(for response: SIPResponse) -> TransactionKey? {
        guard let via = response.topVia, let branch = via.branch, let cseq = response.cseq else { return nil }
        return TransactionKey(.branch(branch, sentBy: "", method: cseq.method == "ACK" ? "INVITE" : cseq.method))
    }

    /// The key under which a client transaction we started waits for its responses.
    public static func client(branch: String, method: String) -> TransactionKey {
        TransactionKey(.branch(branch, sentBy: "", method: method))
    }

    /// The same server transaction's key for another method: a CANCEL's key gives its INVITE's
    /// (same branch and sent-by); nil for an RFC 2543 key (matching a CANCEL to its INVITE by
    /// those is not supported here).
    public func withMethod(_ method: String) -> TransactionKey? {
        guard case .branch(let branch, let sentBy, _) = identity else { return nil }
        return TransactionKey(.branch(branch, sentBy: sentBy, method: method))
    }

    /// Equal keys have equal fingerprints, so those are compared first.
    public static func == (lhs: TransactionKey, rhs: TransactionKey) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.identity == rhs.identity
    }

    /// Hashes the fingerprint alone: growing a table, and closing the gap a deletion leaves,
    /// never go back to the keys' strings; equality still compares every part.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(fingerprint)
    }

    /// A spread of keys over `count` buckets, by `fingerprint`: a lock shard without a second full hash.
    public func bucket(of count: Int) -> Int {
        Int(fingerprint % UInt32(count))
    }
}
