/// One Via element: `SIP/2.0/UDP host:port;branch=z9hG4bK...;rport;received=...`.
public struct Via: Hashable, Sendable, CustomStringConvertible {
    public var transport: String
    public var host: String
    public var port: Int?
    public var parameters: [SIPParameter]

    public static let magicCookie = "z9hG4bK"

    public init(transport: String, host: String, port: Int?, parameters: [SIPParameter]) {
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
    }

    public var branch: String? { parameters.value("branch") }
    public var received: String? { parameters.value("received") }
    /// nil when absent, 0 when present without a value (a request for RFC 3581 behaviour).
    public var rport: Int? { parameters.value("rport").map { Int($0) ?? 0 } }

    public init(_ text: String) throws(SIPParseError) {
        self = try ByteText.reading(text) { bytes throws(SIPParseError) in try Via(bytes, bytes.all) }
    }

    /// Parses `range` of a larger text (a received message) in place.
    init(_ bytes: ByteText, _ range: Range<Int>) throws(SIPParseError) {
        var text: String { bytes.string(range) }
        let value = bytes.trimmed(range)
        guard let firstSlash = bytes.firstIndex(of: UInt8(ascii: "/"), in: value),
              let secondSlash = bytes.firstIndex(of: UInt8(ascii: "/"), in: firstSlash + 1..<value.upperBound),
              bytes.equals(bytes.trimmed(value.lowerBound..<firstSlash), ignoringCase: "SIP"),
              bytes.equals(bytes.trimmed(firstSlash + 1..<secondSlash), ignoringCase: "2.0") else {
            throw SIPParseError("bad Via protocol in \"\(text)\"")
        }
        var start = secondSlash + 1
        while start < value.upperBound, ByteText.isBlank(bytes[start]) { start += 1 }
        var blank = start
        while blank < value.upperBound, !ByteText.isBlank(bytes[blank]) { blank += 1 }
        guard blank < value.upperBound else { throw SIPParseError("Via \"\(text)\" has no sent-by") }
        guard bytes.isToken(start..<blank) else { throw SIPParseError("bad Via transport in \"\(text)\"") }
        // The usual spellings without decoding and uppercasing a string.
        let transportName = start..<blank
        transport = bytes.equals(transportName, ignoringCase: "UDP") ? "UDP"
            : bytes.equals(transportName, ignoringCase: "TCP") ? "TCP" : bytes.string(transportName).uppercased()
        var sentBy = blank..<value.upperBound
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";"), in: sentBy) {
            parameters = try SIPGrammar.parseParameters(bytes, semicolon + 1..<value.upperBound)
            sentBy = blank..<semicolon
        } else {
            parameters = []
        }
        sentBy = bytes.trimmed(sentBy)
        if bytes[sentBy].contains(where: ByteText.isBlank) {
            // Blanks are allowed around the colon of sent-by.
            (host, port) = try ByteText.reading(bytes.string(sentBy).filter { $0 != " " && $0 != "\t" }) { compact throws(SIPParseError) in
                try SIPURI.parseHostPort(compact, compact.all, in: text)
            }
        } else {
            (host, port) = try SIPURI.parseHostPort(bytes, sentBy, in: text)
        }
    }

    public var description: String {
        TextBuilder.text(capacity: 16 + transport.utf8.count + host.utf8.count + parameters.serializedCount) { text in
            text.append("SIP/2.0/")
            text.append(transport)
            text.append(" ")
            text.write { writer in
                SIPSerializer.appendHostPort(host, port, to: &writer)
                parameters.append(to: &writer)
            }
        }
    }
}
