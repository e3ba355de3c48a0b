import APICommands
import Logging
import TextTrimming

/// FreeSWITCH's `switch_channel_expand_variables`: `${var}`, `${api(args)}`, `${api args}`,
/// `$${global}`, nested from the inside out, with a recursion limit.
public struct VariableExpander: Sendable {
    public static let recursionLimit = 100

    public let commands: CommandRegistry
    public let globals: [String: String]
    public let logger: Logger

    public init(commands: CommandRegistry, globals: [String: String], logger: Logger) {
        self.commands = commands
        self.globals = globals
        self.logger = logger
    }

    /// Expands `text`, looking names up with `lookup` (channel variables, then caller-profile
    /// fields) and then the global variables. An unknown name expands to nothing.
    public func expand(_ text: String, lookup: @escaping @Sendable (String) -> String?) -> String {
        expand(Substring(text), depth: 0, lookup: lookup)
    }

    /// Scans UTF-8 bytes, not characters: every delimiter is ASCII, so a byte position found
    /// is always a character boundary, and the text between references is copied in one piece.
    private func expand(_ text: Substring, depth: Int, lookup: @escaping @Sendable (String) -> String?) -> String {
        let bytes = text.utf8
        guard bytes.contains(UInt8(ascii: "$")) else { return String(text) }
        guard depth <= Self.recursionLimit else {
            logger.error("variable expansion nested deeper than \(Self.recursionLimit) levels; left as it is: \(text)")
            return String(text)
        }
        var output = ""
        var copiedUpTo = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            guard bytes[index] == UInt8(ascii: "$") else {
                index = bytes.index(after: index)
                continue
            }
            let afterDollar = bytes.index(after: index)
            let rest = bytes[afterDollar...]
            let isGlobal = rest.starts(with: "${".utf8)
            guard isGlobal || rest.first == UInt8(ascii: "{") else {
                index = afterDollar
                continue
            }
            let open = isGlobal ? bytes.index(after: afterDollar) : afterDollar
            // Without its closing brace, the rest stays as it is.
            guard let close = Self.matchingBrace(in: text, from: open) else { break }
            output += text[copiedUpTo..<index]
            let inner = text[bytes.index(after: open)..<close]
            output += isGlobal ? globals[expand(inner, depth: depth + 1, lookup: lookup)] ?? ""
                : resolve(inner, depth: depth, lookup: lookup)
            index = bytes.index(after: close)
            copiedUpTo = index
        }
        output += text[copiedUpTo...]
        return output
    }

    /// The contents of one `${...}`: an API call or a variable name.
    private func resolve(_ inner: Substring, depth: Int, lookup: @escaping @Sendable (String) -> String?) -> String {
        // By bytes: the delimiters are ASCII, and a character search would walk grapheme clusters.
        let paren = inner.utf8.firstIndex(of: UInt8(ascii: "("))
        let space = inner.utf8.firstIndex(of: UInt8(ascii: " "))
        if let paren, space.map({ paren < $0 }) ?? true, let end = inner.utf8.lastIndex(of: UInt8(ascii: ")")), end > paren {
            let name = inner[..<paren].trimmed(" \t")
            return callAPI(name, arguments: expand(inner[inner.index(after: paren)..<end], depth: depth + 1, lookup: lookup), lookup: lookup)
        }
        if let space {
            return callAPI(String(inner[..<space]), arguments: expand(inner[inner.index(after: space)...], depth: depth + 1, lookup: lookup), lookup: lookup)
        }
        var name = expand(inner, depth: depth + 1, lookup: lookup)
        var offset: Int?
        var length: Int?
        if let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) {
            let numbers = name[name.index(after: colon)...].split(separator: ":", omittingEmptySubsequences: false)
            offset = Int(numbers[0])
            length = numbers.count > 1 ? Int(numbers[1]) : nil
            name = String(name[..<colon])
        }
        guard let value = lookup(name) ?? globals[name] else { return "" }
        guard let offset else { return value }
        return Self.substring(value, offset: offset, length: length)
    }

    private func callAPI(_ name: String, arguments: String, lookup: @escaping @Sendable (String) -> String?) -> String {
        let context = APICallContext(variable: lookup)
        guard let output = commands.execute(name: name, arguments: arguments, context: context) else {
            logger.warning("no API command named \"\(name)\" in an expansion; it expands to nothing")
            return ""
        }
        return output
    }

    /// `${var:offset:length}`; a negative offset counts from the end.
    static func substring(_ value: String, offset: Int, length: Int?) -> String {
        let characters = Array(value)
        let start = offset < 0 ? max(0, characters.count + offset) : min(offset, characters.count)
        let end = length.map { $0 < 0 ? max(start, characters.count + $0) : min(characters.count, start + $0) } ?? characters.count
        return String(characters[start..<end])
    }

    private static func matchingBrace(in text: Substring, from open: Substring.Index) -> Substring.Index? {
        var depth = 0
        let bytes = text.utf8
        var index = open
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index = bytes.index(after: index)
        }
        return nil
    }
}
