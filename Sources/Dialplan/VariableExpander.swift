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
        guard text.containsByte(UInt8(ascii: "$")) else { return text }
        let bytes = Array(text.utf8)
        return String(decoding: expand(bytes, bytes.indices, depth: 0, lookup: lookup), as: UTF8.self)
    }

    /// Expands `range` of `bytes`, by integer positions: every delimiter is ASCII, so a byte
    /// position found is always a character boundary, and no substring is made to find one.
    private func expand(_ bytes: [UInt8], _ range: Range<Int>, depth: Int, lookup: @escaping @Sendable (String) -> String?) -> [UInt8] {
        guard var index = bytes[range].firstIndex(of: UInt8(ascii: "$")) else { return Array(bytes[range]) }
        guard depth <= Self.recursionLimit else {
            logger.error("variable expansion nested deeper than \(Self.recursionLimit) levels; left as it is: \(String(decoding: bytes[range], as: UTF8.self))")
            return Array(bytes[range])
        }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var copiedUpTo = range.lowerBound
        while index < range.upperBound {
            guard bytes[index] == UInt8(ascii: "$") else {
                index += 1
                continue
            }
            let afterDollar = index + 1
            let isGlobal = afterDollar + 1 < range.upperBound && bytes[afterDollar] == UInt8(ascii: "$") && bytes[afterDollar + 1] == UInt8(ascii: "{")
            guard isGlobal || (afterDollar < range.upperBound && bytes[afterDollar] == UInt8(ascii: "{")) else {
                index = afterDollar
                continue
            }
            let open = isGlobal ? afterDollar + 1 : afterDollar
            // Without its closing brace, the rest stays as it is.
            guard let close = Self.matchingBrace(in: bytes, from: open, before: range.upperBound) else { break }
            output += bytes[copiedUpTo..<index]
            let inner = open + 1..<close
            if isGlobal {
                output += (globals[String(decoding: expand(bytes, inner, depth: depth + 1, lookup: lookup), as: UTF8.self)] ?? "").utf8
            } else {
                output += resolve(bytes, inner, depth: depth, lookup: lookup).utf8
            }
            index = close + 1
            copiedUpTo = index
        }
        output += bytes[copiedUpTo..<range.upperBound]
        return output
    }

    /// The contents of one `${...}`: an API call or a variable name.
    private func resolve(_ bytes: [UInt8], _ inner: Range<Int>, depth: Int, lookup: @escaping @Sendable (String) -> String?) -> String {
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func expanded(_ range: Range<Int>) -> String { String(decoding: expand(bytes, range, depth: depth + 1, lookup: lookup), as: UTF8.self) }
        let paren = bytes[inner].firstIndex(of: UInt8(ascii: "("))
        let space = bytes[inner].firstIndex(of: UInt8(ascii: " "))
        if let paren, space.map({ paren < $0 }) ?? true, let end = bytes[inner].lastIndex(of: UInt8(ascii: ")")), end > paren {
            var name = inner.lowerBound..<paren
            while let first = name.first, bytes[first] == 0x20 || bytes[first] == 0x09 { name = name.dropFirst() }
            while let last = name.last, bytes[last] == 0x20 || bytes[last] == 0x09 { name = name.dropLast() }
            return callAPI(text(name), arguments: expanded(paren + 1..<end), lookup: lookup)
        }
        if let space {
            return callAPI(text(inner.lowerBound..<space), arguments: expanded(space + 1..<inner.upperBound), lookup: lookup)
        }
        var name = expanded(inner)
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

    private static func matchingBrace(in bytes: [UInt8], from open: Int, before end: Int) -> Int? {
        var depth = 0
        for index in open..<end {
            switch bytes[index] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}
