/// Small pieces of RFC 3261 §25 grammar shared by the header parsers.
public enum SIPGrammar {
    /// Splits a header value at commas that are not inside quotes or `<...>`.
    public static func splitList(_ value: String) -> [String] {
        ByteText.reading(value) { text in
            var parts: [String] = []
            text.forEachListElement(text.all) { parts.append(text.string($0)); return true }
            return parts
        }
    }

    /// The first element of a list header (the top Via), without splitting the rest.
    public static func firstListElement(_ value: String) -> String? {
        ByteText.reading(value) { text in
            let first = text.firstListElement(text.all)
            return first.isEmpty ? nil : text.string(first)
        }
    }

    /// Equal ignoring ASCII case, without building lowercased copies (parameter look-ups run
    /// several times per message).
    public static func equalsIgnoringCase(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var other = b.utf8.makeIterator()
        for byte in a.utf8 where ByteText.lower(byte) != other.next().map(ByteText.lower) { return false }
        return true
    }

    /// RFC 3261 `token` characters.
    public static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        let word = byte < 64 ? tokenBytesBelow64 : byte < 128 ? tokenBytesFrom64 : 0
        return word & (1 << UInt64(byte & 63)) != 0
    }

    /// One bit per ASCII byte for letters, digits and `-.!%*_+`'~` (bytes 0-63, then 64-127):
    /// checked for every byte of every parameter, scheme and header name, where searching the
    /// punctuation as a string cost more than the rest of the scan.
    private static let tokenBytesBelow64: UInt64 = 0x3ff6ca200000000
    private static let tokenBytesFrom64: UInt64 = 0x47ffffff87fffffe

    /// `;name=value;flag` after a URI or a header value. Values may be quoted strings.
    static func parseParameters(_ text: ByteText, _ range: Range<Int>) throws(SIPParseError) -> [SIPParameter] {
        var parameters: [SIPParameter] = []
        // Room for a Via's branch, rport and received at once: growing an array one element at a time reallocates it.
        parameters.reserveCapacity(3)
        try forEachParameter(text, range) { name, value in
            parameters.append(SIPParameter(name: text.string(name), value: value.map(text.string)))
        }
        return parameters
    }

    /// Checks the parameters in `range` and hands `body` where each name and value (trimmed)
    /// lies, so that a caller after one parameter makes no string for the others.
    static func forEachParameter(_ text: ByteText, _ range: Range<Int>,
                                 _ body: (_ name: Range<Int>, _ value: Range<Int>?) -> Void) throws(SIPParseError) {
        var start = range.lowerBound
        var index = range.lowerBound
        var inQuotes = false
        func take(_ piece: Range<Int>) throws(SIPParseError) {
            if let equals = text.firstIndex(of: UInt8(ascii: "="), in: piece) {
                let name = text.trimmed(piece.lowerBound..<equals)
                guard text.isToken(name) else { throw SIPParseError("bad parameter name \"\(text.string(name))\"") }
                body(name, text.trimmed(equals + 1..<piece.upperBound))
            } else {
                let item = text.trimmed(piece)
                if item.isEmpty { return }
                guard text.isToken(item) else { throw SIPParseError("bad parameter \"\(text.string(item))\"") }
                body(item, nil)
            }
        }
        while index < range.upperBound {
            let byte = text[index]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\\") && inQuotes {
                index += 2
                continue
            }
            if byte == UInt8(ascii: ";") && !inQuotes {
                try take(start..<index)
                start = index + 1
            }
            index += 1
        }
        try take(start..<range.upperBound)
    }

    /// The contents of a quoted string (its quotes included in `range`) with its escapes
    /// resolved: `"a \"b\""` -> `a "b"`.
    static func unquote(_ text: ByteText, _ range: Range<Int>) -> String {
        var inner = range
        if !inner.isEmpty, text[inner.lowerBound] == UInt8(ascii: "\"") { inner = inner.lowerBound + 1..<inner.upperBound }
        if !inner.isEmpty, text[inner.upperBound - 1] == UInt8(ascii: "\"") { inner = inner.lowerBound..<inner.upperBound - 1 }
        guard text.contains(UInt8(ascii: "\\"), in: inner) else { return text.string(inner) }
        var result: [UInt8] = []
        result.reserveCapacity(inner.count)
        var escaped = false
        for byte in text[inner] {
            if !escaped, byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                result.append(byte)
                escaped = false
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// `;name=value` or `;name`.
public struct SIPParameter: Hashable, Sendable {
    public let name: String
    public let value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

extension SIPParameter {
    /// Names ignore case; most arrive in the case asked for, which one string comparison settles.
    func isNamed(_ other: String) -> Bool {
        name == other || SIPGrammar.equalsIgnoringCase(name, other)
    }
}

extension Array where Element == SIPParameter {
    /// The value of a parameter (names ignore case); "" for a flag; nil when absent.
    public func value(_ name: String) -> String? {
        first { $0.isNamed(name) }.map { $0.value ?? "" }
    }

    public func has(_ name: String) -> Bool {
        contains { $0.isNamed(name) }
    }

    public mutating func set(_ name: String, _ value: String?) {
        removeAll { $0.isNamed(name) }
        append(SIPParameter(name: name, value: value))
    }

    /// `;name=value;flag` into a buffer: a Via is written out again for every request received
    /// (`received` and `rport`), where joining a string per parameter cost more than the rest.
    func append(to bytes: inout some ByteSink) {
        for parameter in self {
            bytes.write(UInt8(ascii: ";"))
            bytes.write(parameter.name)
            if let value = parameter.value {
                bytes.write(UInt8(ascii: "="))
                bytes.write(value)
            }
        }
    }

    /// At most the bytes `append(to:)` writes, to reserve a buffer once.
    var serializedCount: Int {
        reduce(0) { $0 + 2 + $1.name.utf8.count + ($1.value?.utf8.count ?? 0) }
    }
}
