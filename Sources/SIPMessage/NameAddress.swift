import TextTrimming
/// A From, To, Contact, Route or Record-Route value: `"Name" <sip:u@h>;tag=x` (name-addr) or
/// `sip:u@h;tag=x` (addr-spec, whose `;` parameters belong to the header, RFC 3261 §20.10).
public struct NameAddress: Hashable, Sendable, CustomStringConvertible {
    public var displayName: String?
    public var uri: SIPURI
    public var parameters: [SIPParameter]

    public init(displayName: String? = nil, uri: SIPURI, parameters: [SIPParameter] = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    public var tag: String? { parameters.value("tag") }

    public init(_ text: String) throws(SIPParseError) {
        self = try ByteText.reading(text) { bytes throws(SIPParseError) in try NameAddress(bytes, bytes.all) }
    }

    /// Parses `range` of a larger text (a received message) in place.
    init(_ bytes: ByteText, _ range: Range<Int>) throws(SIPParseError) {
        let layout = try Self.scan(bytes, range)
        if let name = layout.displayName {
            displayName = bytes[name.lowerBound] == UInt8(ascii: "\"") ? SIPGrammar.unquote(bytes, name) : bytes.string(name)
        } else {
            displayName = nil
        }
        uri = try SIPURI(bytes, layout.uri)
        parameters = try layout.parameters.map { range throws(SIPParseError) in try SIPGrammar.parseParameters(bytes, range) } ?? []
    }

    /// Where the parts of an address lie in a text, found and checked without making a string.
    struct Layout {
        /// Trimmed, with its quotes when quoted.
        var displayName: Range<Int>?
        var uri: SIPURI.Layout
        var parameters: Range<Int>?
    }

    /// `parameter` sees each of the header's parameters as the scan checks it.
    static func scan(_ bytes: ByteText, _ range: Range<Int>,
                     parameter: (_ name: Range<Int>, _ value: Range<Int>?) -> Void = { _, _ in }) throws(SIPParseError) -> Layout {
        var text: String { bytes.string(range) }
        let value = bytes.trimmed(range)
        if value.count == 1, bytes[value.lowerBound] == UInt8(ascii: "*") { throw SIPParseError("\"*\" is not an address") }
        if let open = Self.angleOpen(in: bytes, value) {
            guard let close = bytes.firstIndex(of: UInt8(ascii: ">"), in: open..<value.upperBound) else {
                throw SIPParseError("unclosed '<' in \"\(text)\"")
            }
            let name = bytes.trimmed(value.lowerBound..<open)
            if !name.isEmpty, bytes[name.lowerBound] == UInt8(ascii: "\"") {
                let last = name.upperBound - 1
                let escapedQuote = name.count >= 3 && bytes[last - 1] == UInt8(ascii: "\\")
                    && !(name.count >= 4 && bytes[last - 2] == UInt8(ascii: "\\"))
                guard name.count >= 2, bytes[last] == UInt8(ascii: "\""), !escapedQuote else {
                    throw SIPParseError("unterminated quoted display name in \"\(text)\"")
                }
            }
            let parameters = close + 1..<value.upperBound
            let layout = Layout(displayName: name.isEmpty ? nil : name, uri: try SIPURI.scan(bytes, open + 1..<close),
                                parameters: parameters.isEmpty ? nil : parameters)
            if let parameters = layout.parameters { try SIPGrammar.forEachParameter(bytes, parameters, parameter) }
            return layout
        }
        var layout: Layout
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";"), in: value) {
            layout = Layout(uri: try SIPURI.scan(bytes, value.lowerBound..<semicolon), parameters: semicolon + 1..<value.upperBound)
            try SIPGrammar.forEachParameter(bytes, semicolon + 1..<value.upperBound, parameter)
        } else {
            layout = Layout(uri: try SIPURI.scan(bytes, value))
        }
        guard layout.uri.headers == nil else { throw SIPParseError("a URI with headers must be in <> in \"\(text)\"") }
        return layout
    }

    /// Checks the address in `range` and reads its `tag` parameter ("" for a bare flag, nil
    /// when absent) in the same pass over the parameters.
    static func scanTag(_ bytes: ByteText, _ range: Range<Int>) throws(SIPParseError) -> String? {
        var tag: Range<Int>??
        _ = try scan(bytes, range) { name, value in
            if tag == nil, bytes.equals(name, ignoringCase: "tag") { tag = .some(value) }
        }
        return tag.map { $0.map(bytes.string) ?? "" }
    }

    /// The `tag` parameter of an address ("" for a bare flag), nil when absent or unreadable.
    static func tag(of text: String) -> String? {
        (try? ByteText.reading(text) { bytes throws(SIPParseError) in try tag(in: bytes, bytes.all) }) ?? nil
    }

    /// The `tag` parameter of the address in `range` ("" for a bare flag, nil when absent),
    /// found without checking its URI: what a response's From and To are read for.
    static func tag(in bytes: ByteText, _ range: Range<Int>) throws(SIPParseError) -> String? {
        let value = bytes.trimmed(range)
        let parameters: Range<Int>
        if let open = angleOpen(in: bytes, value) {
            guard let close = bytes.firstIndex(of: UInt8(ascii: ">"), in: open..<value.upperBound) else {
                throw SIPParseError("unclosed '<' in \"\(bytes.string(range))\"")
            }
            parameters = close + 1..<value.upperBound
        } else if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";"), in: value) {
            parameters = semicolon + 1..<value.upperBound
        } else {
            return nil
        }
        var tag: Range<Int>??
        try SIPGrammar.forEachParameter(bytes, parameters) { name, value in
            if tag == nil, bytes.equals(name, ignoringCase: "tag") { tag = .some(value) }
        }
        return tag.map { $0.map(bytes.string) ?? "" }
    }

    /// The `<` that opens the URI, outside a quoted display name.
    private static func angleOpen(in text: ByteText, _ range: Range<Int>) -> Int? {
        // Most values have no quote before their first `<`: two memchr calls decide.
        let firstAngle = text.firstIndex(of: UInt8(ascii: "<"), in: range)
        if text.firstIndex(of: UInt8(ascii: "\""), in: range.lowerBound..<(firstAngle ?? range.upperBound)) == nil { return firstAngle }
        var inQuotes = false
        var escaped = false
        for index in range {
            let byte = text[index]
            if escaped { escaped = false; continue }
            if byte == UInt8(ascii: "\\") && inQuotes { escaped = true; continue }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "<") && !inQuotes { return index }
        }
        return nil
    }

    public var description: String {
        let quoted = displayName?.replacingEscapes()
        return TextBuilder.text(capacity: 5 + (quoted?.utf8.count ?? 0) + uri.serializedCount + parameters.serializedCount) { text in
            if let quoted {
                text.append("\"")
                text.append(quoted)
                text.append("\" ")
            }
            text.append("<")
            text.append(uri)
            text.append(">")
            text.write { parameters.append(to: &$0) }
        }
    }
}

extension String {
    func replacingEscapes() -> String {
        var result = ""
        for character in self {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
