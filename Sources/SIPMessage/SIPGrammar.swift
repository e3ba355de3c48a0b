import TextTrimming
/// Small pieces of RFC 3261 §25 grammar shared by the header parsers.
public enum SIPGrammar {
    /// Splits a header value at commas that are not inside quotes or `<...>`.
    public static func splitList(_ value: String) -> [String] {
        let utf8 = value.utf8
        var parts: [String] = []
        var start = utf8.startIndex
        var index = utf8.startIndex
        var inQuotes = false
        var inAngle = false
        while index < utf8.endIndex {
            switch utf8[index] {
            case UInt8(ascii: "\\") where inQuotes:
                index = utf8.index(after: index)
                if index == utf8.endIndex { continue }
            case UInt8(ascii: "\""):
                inQuotes.toggle()
            case UInt8(ascii: "<") where !inQuotes:
                inAngle = true
            case UInt8(ascii: ">") where !inQuotes:
                inAngle = false
            case UInt8(ascii: ",") where !inQuotes && !inAngle:
                let part = value[start..<index].trimmed()
                if !part.isEmpty { parts.append(part) }
                start = utf8.index(after: index)
            default:
                break
            }
            index = utf8.index(after: index)
        }
        let part = value[start..<utf8.endIndex].trimmed()
        if !part.isEmpty { parts.append(part) }
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
        for piece in splitOutsideQuotes(text, separator: UInt8(ascii: ";")) {
            if let equals = piece.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = piece[..<equals].trimmed()
                let value = piece[piece.utf8.index(after: equals)...].trimmed()
                guard isToken(Substring(name)) else { throw SIPParseError("bad parameter name \"\(name)\"") }
                parameters.append(SIPParameter(name: name, value: value))
            } else {
                let item = piece.trimmed()
                if item.isEmpty { continue }
                guard isToken(Substring(item)) else { throw SIPParseError("bad parameter \"\(item)\"") }
                parameters.append(SIPParameter(name: item, value: nil))
            }
        }
        return parameters
    }

    static func splitOutsideQuotes(_ text: Substring, separator: UInt8) -> [Substring] {
        let utf8 = text.utf8
        var parts: [Substring] = []
        var start = utf8.startIndex
        var inQuotes = false
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\\") && inQuotes {
                index = utf8.index(after: index)
                if index < utf8.endIndex { index = utf8.index(after: index) }
                continue
            }
            if byte == separator && !inQuotes {
                parts.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        parts.append(text[start..<utf8.endIndex])
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
