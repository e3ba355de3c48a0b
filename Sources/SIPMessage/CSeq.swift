/// `CSeq: 4711 INVITE`; the number fits in 32 bits (RFC 3261 §8.1.1.5).
public struct CSeq: Hashable, Sendable, CustomStringConvertible {
    public var number: UInt32
    public var method: String

    public init(number: UInt32, method: String) {
        self.number = number
        self.method = method
    }

    public init(_ text: String) throws(SIPParseError) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2 else { throw SIPParseError("bad CSeq \"\(text)\"") }
        guard parts[0].utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = UInt32(parts[0]) else {
            throw SIPParseError("CSeq number \"\(parts[0])\" is not a 32-bit number")
        }
        guard SIPGrammar.isToken(parts[1]) else { throw SIPParseError("bad CSeq method \"\(parts[1])\"") }
        self.number = number
        method = String(parts[1])
    }

    public var description: String { "\(number) \(method)" }
}
