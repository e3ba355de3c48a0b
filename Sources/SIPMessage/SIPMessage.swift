/// A SIP request: method, Request-URI, headers and an opaque body.
public struct SIPRequest: Hashable, Sendable {
    public var method: String
    public var uri: SIPURI
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(method: String, uri: SIPURI, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}

/// A SIP response: status, reason phrase, headers and an opaque body.
public struct SIPResponse: Hashable, Sendable {
    public var status: Int
    public var reason: String
    public var headers: SIPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String? = nil, headers: SIPHeaders = SIPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? SIPStatus.reason(for: status)
        self.headers = headers
        self.body = body
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
}

extension SIPRequest: SIPMessageHeaders {}
extension SIPResponse: SIPMessageHeaders {}

extension SIPMessageHeaders {
    public var callID: String? { headers["Call-ID"] }
    public var cseq: CSeq? { headers["CSeq"].flatMap { try? CSeq($0) } }
    public var from: NameAddress? { headers["From"].flatMap { try? NameAddress($0) } }
    public var to: NameAddress? { headers["To"].flatMap { try? NameAddress($0) } }
    public var vias: [Via] { headers.elements("Via").compactMap { try? Via($0) } }
    public var topVia: Via? { headers.elements("Via").first.flatMap { try? Via($0) } }
    public var maxForwards: Int? { headers["Max-Forwards"].flatMap { Int($0.trimmingSpaces()) } }
    public var contentType: String? { headers["Content-Type"] }
}
