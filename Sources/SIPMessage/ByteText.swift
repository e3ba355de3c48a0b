#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message or header value as UTF-8 bytes with integer positions: the parsers (header
/// section, Via, name-addr, URI, parameters) run on every message, and byte scanning is
/// several times cheaper than slicing Swift strings. It borrows the bytes for the length of a
/// `reading` call, so that passing it around retains nothing; every read is checked against
/// its bounds all the same.
struct ByteText {
    private let buffer: UnsafeBufferPointer<UInt8>

    private init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// Calls `body` with the bytes of `bytes`, valid until it returns.
    static func reading<Result, Failure>(_ bytes: [UInt8], _ body: (ByteText) throws(Failure) -> Result) throws(Failure) -> Result {
        let result: Swift.Result<Result, Failure> = bytes.withUnsafeBufferPointer { buffer in
            Swift.Result { () throws(Failure) in try body(ByteText(buffer)) }
        }
        return try result.get()
    }

    /// Calls `body` with bytes borrowed for the length of the call (a datagram in NIO's buffer).
    static func reading<Result, Failure>(_ bytes: UnsafeRawBufferPointer, _ body: (ByteText) throws(Failure) -> Result) throws(Failure) -> Result {
        try body(ByteText(bytes.assumingMemoryBound(to: UInt8.self)))
    }

    /// Calls `body` with the UTF-8 bytes of `text`, valid until it returns.
    static func reading<Result, Failure>(_ text: String, _ body: (ByteText) throws(Failure) -> Result) throws(Failure) -> Result {
        var text = text
        let result: Swift.Result<Result, Failure> = text.withUTF8 { buffer in
            Swift.Result { () throws(Failure) in try body(ByteText(buffer)) }
        }
        return try result.get()
    }

    var count: Int { buffer.count }

    var all: Range<Int> { 0..<buffer.count }

    @inline(__always)
    subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < buffer.count, "byte \(index) of \(buffer.count)")
        return buffer[index]
    }

    /// The bytes of `range`, checked against the bounds.
    @inline(__always)
    subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "bytes \(range) of \(buffer.count)")
        return UnsafeBufferPointer(rebasing: buffer[range])
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: self[range], as: UTF8.self)
    }

    /// `range` without blanks and line ends at either end.
    @inline(__always)
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isWhitespace(self[lower]) { lower += 1 }
        while upper > lower, Self.isWhitespace(self[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The first `byte` in `range`, by memchr: the parser looks for every line end and
    /// separator this way, many bytes per step instead of one checked index at a time.
    @inline(__always)
    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        let bytes = self[range]
        guard let base = bytes.baseAddress, let found = memchr(base, CInt(byte), bytes.count) else { return nil }
        return range.lowerBound + base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        self[range].lastIndex(of: byte).map { range.lowerBound + $0 }
    }

    /// Calls `body` with each non-empty, trimmed element of a comma list in `range` (commas
    /// inside quotes or `<>` do not count) until it returns false.
    func forEachListElement(_ range: Range<Int>, _ body: (Range<Int>) -> Bool) {
        var inQuotes = false, inAngle = false
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            switch self[index] {
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
        // Most values hold one element: without a comma, no byte needs looking at one by one.
        if !contains(UInt8(ascii: ","), in: range) { return trimmed(range) }
        var first = range.upperBound..<range.upperBound
        forEachListElement(range) { first = $0; return false }
        return first
    }

    func contains(_ byte: UInt8, in range: Range<Int>) -> Bool {
        firstIndex(of: byte, in: range) != nil
    }

    @inline(__always)
    func isToken(_ range: Range<Int>) -> Bool {
        !range.isEmpty && self[range].allSatisfy(SIPGrammar.isTokenByte)
    }

    /// Equal to `ascii` ignoring ASCII case.
    /// A `StaticString`: its bytes are read in place, with none of a `String`'s iteration.
    @inline(__always)
    func equals(_ range: Range<Int>, ignoringCase ascii: StaticString) -> Bool {
        guard range.count == ascii.utf8CodeUnitCount else { return false }
        let bytes = self[range]
        for offset in 0..<bytes.count where Self.lower(bytes[offset]) != Self.lower(ascii.utf8Start[offset]) { return false }
        return true
    }

    /// The range as a lowercased string (schemes, transports are ASCII).
    func lowercased(_ range: Range<Int>) -> String {
        String(decoding: self[range].map(Self.lower), as: UTF8.self)
    }

    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}
