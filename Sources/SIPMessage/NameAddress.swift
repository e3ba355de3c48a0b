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
        let value = Substring(text.trimmed())
        if value == "*" { throw SIPParseError("\"*\" is not an address") }
        if let open = Self.angleOpen(in: value) {
            guard let close = value[open...].utf8.firstIndex(of: UInt8(ascii: ">")) else {
                throw SIPParseError("unclosed '<' in \"\(text)\"")
            }
            let name = value[..<open].trimmed()
            if name.hasPrefix("\"") {
                guard name.count >= 2, name.hasSuffix("\""), !name.hasSuffix("\\\"") || name.hasSuffix("\\\\\"") else {
                    throw SIPParseError("unterminated quoted display name in \"\(text)\"")
                }
                displayName = SIPGrammar.unquote(Substring(name))
            } else {
                displayName = name.isEmpty ? nil : name
            }
            uri = try SIPURI(String(value[value.index(after: open)..<close]))
            parameters = try SIPGrammar.parseParameters(value[value.index(after: close)...])
        } else {
            displayName = nil
            if let semicolon = value.utf8.firstIndex(of: UInt8(ascii: ";")) {
                uri = try SIPURI(String(value[..<semicolon]))
                parameters = try SIPGrammar.parseParameters(value[value.index(after: semicolon)...])
            } else {
                uri = try SIPURI(String(value))
                parameters = []
            }
            guard uri.headers == nil else { throw SIPParseError("a URI with headers must be in <> in \"\(text)\"") }
        }
    }

    /// The `<` that opens the URI, outside a quoted display name.
    private static func angleOpen(in value: Substring) -> Substring.Index? {
        var inQuotes = false
        var escaped = false
        let utf8 = value.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            defer { index = utf8.index(after: index) }
            let byte = utf8[index]
            if escaped { escaped = false; continue }
            if byte == UInt8(ascii: "\\") && inQuotes { escaped = true; continue }
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "<") && !inQuotes { return index }
        }
        return nil
    }

    public var description: String {
        var text = ""
        if let displayName {
            text += "\"" + displayName.replacingEscapes() + "\" "
        }
        return text + "<" + uri.description + ">" + parameters.serialized
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
