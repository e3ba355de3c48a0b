/// The headers every transaction and dialog lookup reads, parsed once by the parser and
/// forgotten as soon as the headers change. A class, so that copying a message (into a
/// transaction, a closure, an event) copies one reference instead of five parsed headers.
/// From and To are kept as their tags only (a request's are checked whole by the parser, a
/// response's read for their tags): most messages are matched by them and never read the
/// rest, which `from` and `to` parse when asked.
public final class SIPEssentials: Sendable {
    public let topVia: Via
    public let cseq: CSeq
    public let callID: String
    public let fromTag: String?
    public let toTag: String?

    init(topVia: Via, cseq: CSeq, callID: String, fromTag: String?, toTag: String?) {
        self.topVia = topVia
        self.cseq = cseq
        self.callID = callID
        self.fromTag = fromTag
        self.toTag = toTag
    }
}

/// A SIP request: method, Request-URI, headers and an opaque body.
///
/// Its fields sit behind one reference, copied on write: a request is handed from the parser to
/// its transaction, its events and the call many times, and copying a dozen references at each
/// hand-over was a fifth of all the retains a call made.
public struct SIPRequest: Hashable, Sendable {
    private struct Fields: Sendable {
        var method: String
        var uri: SIPURI
        var headers: SIPHeaders
        var body: [UInt8]
        var essentials: SIPEssentials?
    }

    private var fields: CopyOnWrite<Fields>

    public var method: String {
        _read { yield fields.value.method }
        _modify { yield &fields.value.method }
    }

    public var uri: SIPURI {
        _read { yield fields.value.uri }
        _modify { yield &fields.value.uri }
    }

    /// Changing them forgets the essentials the parser read from them.
    public var headers: SIPHeaders {
        _read { yield fields.value.headers }
        _modify {
            fields.value.essentials = nil
            yield &fields.value.headers
        }
    }

    public var body: [UInt8] {
        _read { yield fields.value.body }
        _modify { yield &fields.value.body }
    }

    public internal(set) var essentials: SIPEssentials? {
        get { fields.value.essentials }
        set { fields.value.essentials = newValue }
    }

    public static func == (lhs: SIPRequest, rhs: SIPRequest) -> Bool {
        lhs.fields.isIdentical(to: rhs.fields)
            || (lhs.method == rhs.method && lhs.uri == rhs.uri && lhs.headers == rhs.headers && lhs.body == rhs.body)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(uri)
        hasher.combine(headers)
        hasher.combine(body)
    }

    public init(method: String, uri: SIPURI, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        fields = CopyOnWrite(Fields(method: method, uri: uri, headers: headers, body: body))
    }
}

/// A SIP response: status, reason phrase, headers and an opaque body, behind one reference as
/// a request's are.
public struct SIPResponse: Hashable, Sendable {
    private struct Fields: Sendable {
        var status: Int
        var reason: String
        var headers: SIPHeaders
        var body: [UInt8]
        var essentials: SIPEssentials?
    }

    private var fields: CopyOnWrite<Fields>

    public var status: Int {
        get { fields.value.status }
        set { fields.value.status = newValue }
    }

    public var reason: String {
        _read { yield fields.value.reason }
        _modify { yield &fields.value.reason }
    }

    /// Changing them forgets the essentials the parser read from them.
    public var headers: SIPHeaders {
        _read { yield fields.value.headers }
        _modify {
            fields.value.essentials = nil
            yield &fields.value.headers
        }
    }

    public var body: [UInt8] {
        _read { yield fields.value.body }
        _modify { yield &fields.value.body }
    }

    public internal(set) var essentials: SIPEssentials? {
        get { fields.value.essentials }
        set { fields.value.essentials = newValue }
    }

    public static func == (lhs: SIPResponse, rhs: SIPResponse) -> Bool {
        lhs.fields.isIdentical(to: rhs.fields)
            || (lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.headers == rhs.headers && lhs.body == rhs.body)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(reason)
        hasher.combine(headers)
        hasher.combine(body)
    }

    public init(status: Int, reason: String? = nil, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        fields = CopyOnWrite(Fields(status: status, reason: reason ?? SIPStatus.reason(for: status), headers: headers, body: body))
    }
}

public enum SIPMessage: Hashable, Sendable {
    case request(SIPRequest)
    case response(SIPResponse)

    public var headers: SIPHeaders {
        switch self {
        case .request(let request): return request.headers
        case .response(let response): return response.headers
        }
    }
}

/// Typed access to the headers every message carries.
public protocol SIPMessageHeaders {
    var headers: SIPHeaders { get set }
    var essentials: SIPEssentials? { get }
}

extension SIPRequest: SIPMessageHeaders {
    /// Replaces the top Via (RFC 3581 `received`/`rport`) in place, keeping what the parser
    /// already read of the other headers: a request just received is its only owner, so
    /// nothing is copied.
    public mutating func replaceTopVia(with via: Via) {
        let essentials = self.essentials
        headers.replaceFirstElement("Via", with: via.description)
        if let essentials {
            self.essentials = SIPEssentials(topVia: via, cseq: essentials.cseq, callID: essentials.callID,
                                            fromTag: essentials.fromTag, toTag: essentials.toTag)
        }
    }
}
extension SIPResponse: SIPMessageHeaders {}

extension SIPRequest {

    /// What a transaction still needs while it waits out its timers (up to 32 s after the
    /// call moved on): the headers that match it, answer it and acknowledge it, without the
    /// body or anything else, their values copied out of a large received header section
    /// (`SIPHeaders.detach()`). Nor the parsed essentials, which are many small allocations
    /// read once more at most: left behind by every call for those 32 s, they end up
    /// scattered among the established calls' memory, which then cannot go back to the system.
    public var skeleton: SIPRequest {
        func isKept(_ common: CommonHeader) -> Bool {
            switch common {
            case .to, .via, .from, .cseq, .route, .callID: true
            default: false
            }
        }
        var kept = SIPHeaders()
        // Through the buffer: taking a field out of the array to read its header copied it.
        headers.fields.withUnsafeBufferPointer { fields in
            var count = 0
            for index in fields.indices where isKept(fields[index].common) { count += 1 }
            kept.reserveCapacity(count)
            for index in fields.indices where isKept(fields[index].common) {
                var own = fields[index]
                own.detach()
                kept.append(own)
            }
        }
        return SIPRequest(method: method, uri: uri, headers: kept)
    }
}

extension SIPResponse {
    /// The response with no value holding on to a large received header section
    /// (`SIPHeaders.detach()`), to be kept while its transaction waits out its timers.
    public var detached: SIPResponse {
        // Looked at first: changing nothing must copy nothing (the response and its fields are shared).
        guard headers.holdsLargeSection else { return self }
        var copy = self
        copy.headers.detach()
        return copy
    }
}

extension SIPMessageHeaders {
    public var callID: String? { essentials?.callID ?? headers["Call-ID"] }
    public var cseq: CSeq? { essentials?.cseq ?? headers["CSeq"].flatMap { try? CSeq($0) } }
    public var from: NameAddress? { headers["From"].flatMap { try? NameAddress($0) } }
    public var to: NameAddress? { headers["To"].flatMap { try? NameAddress($0) } }
    /// Read as the parser reads a response's, without checking the URI: the same tag whether
    /// the parser's essentials are still there or the headers changed since.
    public var fromTag: String? { essentials.map(\.fromTag) ?? headers["From"].flatMap(NameAddress.tag(of:)) }
    public var toTag: String? { essentials.map(\.toTag) ?? headers["To"].flatMap(NameAddress.tag(of:)) }
    public var vias: [Via] { headers.elements("Via").compactMap { try? Via($0) } }
    public var topVia: Via? { essentials?.topVia ?? headers["Via"].flatMap(SIPGrammar.firstListElement).flatMap { try? Via($0) } }
    /// Read from the value's bytes, with no string made: nil unless it is 1 to 9 digits.
    public var maxForwards: Int? {
        headers.fields.withUnsafeBufferPointer { fields in
            fields.indices.first { fields[$0].common == .maxForwards }.flatMap { fields[$0].decimalValue }
        }
    }
    public var contentType: String? { headers["Content-Type"] }
}
