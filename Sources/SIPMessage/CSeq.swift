/// `CSeq: 4711 INVITE`; the number fits in 32 bits (RFC 3261 §8.1.1.5).
public struct CSeq: Hashable, Sendable, CustomStringConvertible {
    public var number: UInt32
    public var method: String

    public init(number: UInt32, method: String) {
        self.number = number
        self.method = method
    }

    /// Parses `range` of a received message in place.
    init(_ bytes: ByteText, _ range: Range<Int>) throws(SIPParseError) {
        var index = range.lowerBound
        func word() -> Range<Int> {
            while index < range.upperBound, ByteText.isBlank(bytes[index]) { index += 1 }
            let start = index
            while index < range.upperBound, !ByteText.isBlank(bytes[index]) { index += 1 }
            return start..<index
        }
        let numberRange = word()
        let methodRange = word()
        guard !numberRange.isEmpty, !methodRange.isEmpty, word().isEmpty else { throw SIPParseError("bad CSeq \"\(bytes.string(range))\"") }
        var number: UInt32 = 0
        for byte in bytes[numberRange] {
            guard (0x30...0x39).contains(byte), case let (product, overflow) = number.multipliedReportingOverflow(by: 10), !overflow,
                  case let (sum, carry) = product.addingReportingOverflow(UInt32(byte - 0x30)), !carry else {
                throw SIPParseError("CSeq number \"\(bytes.string(numberRange))\" is not a 32-bit number")
            }
            number = sum
        }
        guard bytes.isToken(methodRange) else { throw SIPParseError("bad CSeq method \"\(bytes.string(methodRange))\"") }
        self.number = number
        method = bytes.string(methodRange)
    }

    /// Two words separated by spaces or tabs, found by bytes.
    public init(_ text: String) throws(SIPParseError) {
        let utf8 = text.utf8
        var index = utf8.startIndex
        func word() -> Substring {
            while index < utf8.endIndex, utf8[index] == 0x20 || utf8[index] == 0x09 { index = utf8.index(after: index) }
            let start = index
            while index < utf8.endIndex, utf8[index] != 0x20, utf8[index] != 0x09 { index = utf8.index(after: index) }
            return text[start..<index]
        }
        let numberText = word()
        let methodText = word()
        guard !numberText.isEmpty, !methodText.isEmpty, word().isEmpty else { throw SIPParseError("bad CSeq \"\(text)\"") }
        guard numberText.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let number = UInt32(numberText) else {
            throw SIPParseError("CSeq number \"\(numberText)\" is not a 32-bit number")
        }
        guard SIPGrammar.isToken(methodText) else { throw SIPParseError("bad CSeq method \"\(methodText)\"") }
        self.number = number
        method = String(methodText)
    }

    public var description: String { "\(number) \(method)" }
}
