import TextTrimming
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
        let value = Substring(text.trimmed())
        let slashParts = value.split(separator: "/", maxSplits: 2)
        guard slashParts.count == 3,
              slashParts[0].trimmed().uppercased() == "SIP",
              slashParts[1].trimmed() == "2.0" else {
            throw SIPParseError("bad Via protocol in \"\(text)\"")
        }
        let rest = slashParts[2].drop { $0 == " " || $0 == "\t" }
        guard let blank = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            throw SIPParseError("Via \"\(text)\" has no sent-by")
        }
        transport = rest[..<blank].uppercased()
        guard SIPGrammar.isToken(Substring(transport)) else { throw SIPParseError("bad Via transport in \"\(text)\"") }
        let sentByAndParameters = rest[blank...].drop { $0 == " " || $0 == "\t" }
        let sentBy: Substring
        if let semicolon = sentByAndParameters.firstIndex(of: ";") {
            sentBy = sentByAndParameters[..<semicolon]
            parameters = try SIPGrammar.parseParameters(sentByAndParameters[sentByAndParameters.index(after: semicolon)...])
        } else {
            sentBy = sentByAndParameters
            parameters = []
        }
        let compact = sentBy.filter { $0 != " " && $0 != "\t" }
        (host, port) = try SIPURI.parseHostPort(Substring(compact), in: text)
    }

    public var description: String {
        "SIP/2.0/\(transport) \(host)\(port.map { ":\($0)" } ?? "")\(parameters.serialized)"
    }
}
