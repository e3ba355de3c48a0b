/// Small pieces of RFC 3261 §25 grammar shared by the header parsers.
public enum SIPGrammar {
    /// Splits a header value at commas that are not inside quotes or `<...>`.
    public static func splitList(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\" where inQuotes:
                escaped = true
            case "\"":
                inQuotes.toggle()
            case "<" where !inQuotes:
                inAngle = true
            case ">" where !inQuotes:
                inAngle = false
            case "," where !inQuotes && !inAngle:
                let trimmed = current.trimmingSpaces()
                if !trimmed.isEmpty { parts.append(trimmed) }
                current = ""
                continue
            default:
                break
            }
            current.append(character)
        }
        let trimmed = current.trimmingSpaces()
        if !trimmed.isEmpty { parts.append(trimmed) }
        return parts
    }

    /// RFC 3261 `token` characters.
    public static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-.!%*_+`'~".utf8.contains(byte)
        }
    }

    /// `;name=value;flag` after a URI or a header value. Values may be quoted strings.
    static func parseParameters(_ text: Substring) throws(SIPParseError) -> [SIPParameter] {
        var parameters: [SIPParameter] = []
        for piece in splitOutsideQuotes(text, separator: ";") {
            let item = piece.trimmingSpaces()
            if item.isEmpty { continue }
            if let equals = item.firstIndex(of: "=") {
                let name = item[..<equals].trimmingSpaces()
                let value = item[item.index(after: equals)...].trimmingSpaces()
                guard isToken(Substring(name)) else { throw SIPParseError("bad parameter name \"\(name)\"") }
                parameters.append(SIPParameter(name: name, value: value))
            } else {
                guard isToken(Substring(item)) else { throw SIPParseError("bad parameter \"\(item)\"") }
                parameters.append(SIPParameter(name: item, value: nil))
            }
        }
        return parameters
    }

    static func splitOutsideQuotes(_ text: Substring, separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" { inQuotes.toggle() }
            if character == "\\" && inQuotes {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if character == separator && !inQuotes {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start..<text.endIndex])
        return parts
    }

    /// The contents of a quoted string with its escapes resolved: `"a \"b\""` -> `a "b"`.
    static func unquote(_ text: Substring) -> String {
        var inner = text
        if inner.hasPrefix("\"") { inner = inner.dropFirst() }
        if inner.hasSuffix("\""), !inner.isEmpty { inner = inner.dropLast() }
        var result = ""
        var escaped = false
        for character in inner {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
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

extension Array where Element == SIPParameter {
    /// The value of a parameter (names ignore case); "" for a flag; nil when absent.
    public func value(_ name: String) -> String? {
        first { $0.name.lowercased() == name.lowercased() }.map { $0.value ?? "" }
    }

    public func has(_ name: String) -> Bool {
        contains { $0.name.lowercased() == name.lowercased() }
    }

    public mutating func set(_ name: String, _ value: String?) {
        removeAll { $0.name.lowercased() == name.lowercased() }
        append(SIPParameter(name: name, value: value))
    }

    var serialized: String {
        map { ";" + $0.name + ($0.value.map { "=" + $0 } ?? "") }.joined()
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\r" || first == "\n" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" || last == "\n" { text.removeLast() }
        return String(text)
    }
}
