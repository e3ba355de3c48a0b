extension SIPRequest {
    /// A response to this request (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied,
    /// the To tag added when given and absent; a 100 also echoes Timestamp.
    /// `room`: how many fields the caller will add (Contact, Content-Type...), so that the
    /// response's header list is allocated once at its size (a final response may be kept for
    /// 32 s, to answer retransmissions).
    public func response(status: Int, reason: String? = nil, toTag: String? = nil, room: Int = 2) -> SIPResponse {
        // The fields are copied as they are, found in one pass over the headers (and one
        // more over the Vias): no look-up per header, and each copied once, straight into
        // the response.
        var headers = SIPHeaders()
        var vias = 0
        var from: Int?, to: Int?, callID: Int?, cseq: Int?, timestamp: Int?
        let fields = self.headers.fields
        // Through the buffer: taking a field out of the array to read its header copied it.
        fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                switch fields[index].common {
                case .via: vias += 1
                case .from: if from == nil { from = index }
                case .to: if to == nil { to = index }
                case .callID: if callID == nil { callID = index }
                case .cseq: if cseq == nil { cseq = index }
                case .timestamp: if timestamp == nil { timestamp = index }
                default: continue
                }
            }
            headers.reserveCapacity(vias + 5 + room)
            for index in fields.indices where vias > 0 && fields[index].common == .via {
                headers.append(fields[index])
                vias -= 1
            }
        }
        if let from { headers.append(fields[from]) }
        if let to {
            var to = fields[to]
            if let toTag, status > 100, self.toTag == nil {
                // Built at its size: the value is a slice of the request's header section.
                let tagged = TextBuilder.text(capacity: to.utf8Count + 5 + toTag.utf8.count) { tagged in
                    to.withUTF8 { tagged.append(bytes: $0) }
                    tagged.append(";tag=")
                    tagged.append(toTag)
                }
                to.value = tagged
            }
            headers.append(to)
        }
        if let callID { headers.append(fields[callID]) }
        if let cseq { headers.append(fields[cseq]) }
        if status == 100, let timestamp { headers.append(fields[timestamp]) }
        return SIPResponse(status: status, reason: reason, headers: headers)
    }

    /// Whether its sender could match a response: the top Via (where to send it, and its
    /// branch) and the CSeq (its method) are readable. A refused request that is not answerable
    /// is dropped, not answered.
    public var isAnswerable: Bool {
        topVia != nil && cseq != nil
    }
}
