#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A header value as UTF-8 bytes with integer positions: the header parsers (Via, name-addr,
/// URI, parameters) run on every message, and byte scanning with one copy of the value is
/// several times cheaper than slicing Swift strings.
struct ByteText {
    let bytes: [UInt8]

    init(_ text: some StringProtocol) {
        bytes = Array(text.utf8)
    }

    /// A whole received message, read in place by the ranges of its parts.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var all: Range<Int> { 0..<bytes.count }

    subscript(index: Int) -> UInt8 { bytes[index] }

    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// `range` without blanks and line ends at either end.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        Self.firstIndex(of: byte, in: bytes, range)
    }

    /// The first `byte` in `range` of `bytes`, by memchr: the parser looks for every line end
    /// and separator this way, many bytes per step instead of one checked index at a time.
    static func firstIndex(of byte: UInt8, in bytes: [UInt8], _ range: Range<Int>) -> Int? {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        guard !range.isEmpty else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base + range.lowerBound, CInt(byte), range.count) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            if bytes[index] == byte { return index }
        }
        return nil
    }

    /// Calls `body` with each non-empty, trimmed element of a comma list in `range` (commas
    /// inside quotes or `<>` do not count) until it returns false.
    func forEachListElement(_ range: Range<Int>, _ body: (Range<Int>) -> Bool) {
        var inQuotes = false, inAngle = false
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            switch bytes[index] {
            case UInt8(ascii: "\\") where inQuotes: index += 1
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: "<") where !inQuotes: inAngle = true
            case UInt8(ascii: ">") where !inQuotes: inAngle = false
            case UInt8(ascii: ",") where !inQuotes && !inAngle:
                let element = trimmed(start..<index)
                if !element.isEmpty, !body(element) { return }
                start = index + 1
            default: break
            }
            index += 1
        }
        let element = trimmed(min(start, range.upperBound)..<range.upperBound)
        if !element.isEmpty { _ = body(element) }
    }

    /// The first element of a comma list (the top Via); empty when there is none.
    func firstListElement(_ range: Range<Int>) -> Range<Int> {
        var first = range.upperBound..<range.upperBound
        forEachListElement(range) { first = $0; return false }
        return first
    }

    func contains(_ byte: UInt8, in range: Range<Int>) -> Bool {
        firstIndex(of: byte, in: range) != nil
    }

    func isToken(_ range: Range<Int>) -> Bool {
        !range.isEmpty && bytes[range].allSatisfy(SIPGrammar.isTokenByte)
    }

    /// Equal to `ascii` ignoring ASCII case.
    func equals(_ range: Range<Int>, ignoringCase ascii: String) -> Bool {
        guard range.count == ascii.utf8.count else { return false }
        var index = range.lowerBound
        for byte in ascii.utf8 {
            guard Self.lower(bytes[index]) == Self.lower(byte) else { return false }
            index += 1
        }
        return true
    }

    /// The range as a lowercased string (schemes, transports are ASCII).
    func lowercased(_ range: Range<Int>) -> String {
        String(decoding: bytes[range].map(Self.lower), as: UTF8.self)
    }

    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
