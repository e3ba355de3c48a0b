import Synchronization
import TextTrimming

/// A FreeSWITCH dial string: `{k=v}` for every leg, `|` between failover groups, `,` between
/// legs rung at once (`:_:` too), `[k=v]` for one leg.
///
///     {ignore_early_media=true}sofia/gateway/gw1/1004|[leg_timeout=5]sofia/external/1004@127.0.0.1:5092
public struct DialString: Hashable, Sendable {
    public struct Leg: Hashable, Sendable {
        public let endpoint: Endpoint
        /// The `{...}` variables overlaid with this leg's `[...]` ones.
        public let variables: [String: String]
    }

    public enum Endpoint: Hashable, Sendable {
        /// `sofia/gateway/<gateway>/<destination>`
        case gateway(name: String, destination: String)
        /// `sofia/<profile>/<user>@<host[:port]>`
        case profile(name: String, target: String)
        /// `error/<cause>`: fails at once with that cause.
        case error(cause: String)
        case unsupported(String)
    }

    public let groups: [[Leg]]
    public let globalVariables: [String: String]

    private static let recent = Mutex<[String: DialString]>([:])

    /// The parse of `text`, kept for the next call: a dialplan bridges the same few strings
    /// over and over. The cache is emptied when it reaches 512 strings.
    public static func parsed(_ text: String) -> DialString {
        if let known = recent.withLock({ $0[text] }) { return known }
        let parsed = DialString(text)
        recent.withLock { recent in
            if recent.count >= 512 { recent.removeAll() }
            recent[text] = parsed
        }
        return parsed
    }

    private init(groups: [[Leg]], globalVariables: [String: String]) {
        self.groups = groups
        self.globalVariables = globalVariables
    }

    /// Each gateway leg with `variables(gateway)` (the gateway's outbound `<variables>`)
    /// under its own; the same string when no gateway has any.
    public func overlaying(gatewayVariables variables: (String) -> [String: String]) -> DialString {
        var changed = false
        let overlaid = groups.map { group in
            group.map { leg -> Leg in
                guard case .gateway(let name, _) = leg.endpoint else { return leg }
                let gateway = variables(name)
                guard !gateway.isEmpty else { return leg }
                changed = true
                return Leg(endpoint: leg.endpoint, variables: gateway.merging(leg.variables) { _, own in own })
            }
        }
        return changed ? DialString(groups: overlaid, globalVariables: globalVariables) : self
    }

    public init(_ text: String) {
        var rest = Substring(text.trimmed())
        var globals: [String: String] = [:]
        if rest.hasPrefix("{"), let close = Self.closing(rest, open: "{", close: "}") {
            globals = Self.variables(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
        }
        globalVariables = globals
        groups = Self.split(rest, on: "|").map { group in
            Self.split(Substring(group.replacingAll(":_:", with: ",")), on: ",").compactMap { legText -> Leg? in
                var leg = Substring(legText.trimmed())
                guard !leg.isEmpty else { return nil }
                var variables = globals
                if leg.hasPrefix("["), let close = Self.closing(leg, open: "[", close: "]") {
                    variables.merge(Self.variables(leg[leg.index(after: leg.startIndex)..<close])) { $1 }
                    leg = leg[leg.index(after: close)...]
                }
                // A group may repeat `{...}` after `|`: it applies to that group's legs.
                if leg.hasPrefix("{"), let close = Self.closing(leg, open: "{", close: "}") {
                    variables.merge(Self.variables(leg[leg.index(after: leg.startIndex)..<close])) { $1 }
                    leg = leg[leg.index(after: close)...]
                }
                return Leg(endpoint: Self.endpoint(String(leg)), variables: variables)
            }
        }.filter { !$0.isEmpty }
    }

    static func endpoint(_ text: String) -> Endpoint {
        let parts = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 2, parts[0].lowercased() == "error" {
            return .error(cause: parts.dropFirst().joined(separator: "/"))
        }
        guard parts.count == 3, parts[0].lowercased() == "sofia" else { return .unsupported(text) }
        if parts[1].lowercased() == "gateway" {
            let rest = parts[2].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard rest.count == 2 else { return .unsupported(text) }
            return .gateway(name: String(rest[0]), destination: String(rest[1]))
        }
        return .profile(name: parts[1], target: parts[2])
    }

    /// Splits at `separator` outside `{}`, `[]` and quotes.
    static func split(_ text: Substring, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            switch character {
            case "\\": escaped = true; current.append(character); continue
            case "'": quoted.toggle()
            case "{", "[": if !quoted { depth += 1 }
            case "}", "]": if !quoted { depth -= 1 }
            default: break
            }
            if character == separator && depth == 0 && !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// `a=1,b='x,y',c=\,` -> variables.
    static func variables(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for item in split(text, on: ",") {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let name = item[..<equals].trimmed()
            var value = String(item[item.index(after: equals)...])
            if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            value = value.replacingAll("\\,", with: ",")
            if !name.isEmpty { result[name] = value }
        }
        return result
    }

    static func closing(_ text: Substring, open: Character, close: Character) -> Substring.Index? {
        var depth = 0
        for index in text.indices {
            if text[index] == open { depth += 1 }
            if text[index] == close {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}

extension StringProtocol {
    func replacingAll(_ target: String, with replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
