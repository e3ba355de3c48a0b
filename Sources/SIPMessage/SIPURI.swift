import TextTrimming
/// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966). Other schemes are kept opaque.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    /// Kept escaped as received (`%23` stays `%23`), so nothing a peer relies on changes.
    public var user: String?
    public var password: String?
    /// A host name, an IPv4 address or a bracketed IPv6 reference; the number of a tel URI;
    /// the whole rest of an opaque URI.
    public var host: String
    public var port: Int?
    public var parameters: [SIPParameter]
    /// The `?h=v&...` part, raw.
    public var headers: String?

    public var isSIP: Bool { scheme == "sip" || scheme == "sips" }

    public init(scheme: String = "sip", user: String? = nil, password: String? = nil, host: String, port: Int? = nil,
                parameters: [SIPParameter] = [], headers: String? = nil) {
        self.scheme = scheme
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    public init(_ text: String) throws(SIPParseError) {
        let trimmed = Substring(text.trimmed())
        guard let colon = trimmed.utf8.firstIndex(of: UInt8(ascii: ":")) else { throw SIPParseError("URI \"\(text)\" has no scheme") }
        let scheme = trimmed[..<colon].lowercased()
        guard SIPGrammar.isToken(Substring(scheme)), scheme.first?.isLetter == true else {
            throw SIPParseError("URI \"\(text)\" has a bad scheme")
        }
        self.scheme = scheme
        var rest = trimmed[trimmed.index(after: colon)...]
        guard !rest.isEmpty else { throw SIPParseError("URI \"\(text)\" is empty after its scheme") }
        guard !rest.utf8.contains(0x20) else { throw SIPParseError("URI \"\(text)\" contains a space") }
        parameters = []
        headers = nil
        user = nil
        password = nil
        port = nil
        switch scheme {
        case "sip", "sips":
            if let question = rest.utf8.firstIndex(of: UInt8(ascii: "?")) {
                headers = String(rest[rest.index(after: question)...])
                rest = rest[..<question]
            }
            if let at = rest.utf8.lastIndex(of: UInt8(ascii: "@")) {
                let userinfo = rest[..<at]
                guard !userinfo.isEmpty else { throw SIPParseError("URI \"\(text)\" has an empty user part") }
                if let passwordColon = userinfo.utf8.firstIndex(of: UInt8(ascii: ":")) {
                    user = String(userinfo[..<passwordColon])
                    password = String(userinfo[userinfo.index(after: passwordColon)...])
                } else {
                    user = String(userinfo)
                }
                rest = rest[rest.index(after: at)...]
            }
            let hostport: Substring
            if let semicolon = rest.utf8.firstIndex(of: UInt8(ascii: ";")) {
                hostport = rest[..<semicolon]
                parameters = try SIPGrammar.parseParameters(rest[rest.index(after: semicolon)...])
            } else {
                hostport = rest
            }
            (host, port) = try Self.parseHostPort(hostport, in: text)
        case "tel":
            if let semicolon = rest.firstIndex(of: ";") {
                host = String(rest[..<semicolon])
                parameters = try SIPGrammar.parseParameters(rest[rest.index(after: semicolon)...])
            } else {
                host = String(rest)
            }
            guard !host.isEmpty else { throw SIPParseError("tel URI \"\(text)\" has no number") }
        default:
            host = String(rest)
        }
    }

    /// `host[:port]` with IPv6 references in brackets.
    static func parseHostPort(_ text: Substring, in uri: String) throws(SIPParseError) -> (String, Int?) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw SIPParseError("unclosed IPv6 reference in \"\(uri)\"") }
            host = text[...close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw SIPParseError("junk after IPv6 reference in \"\(uri)\"") }
                portText = after.dropFirst()
            }
            guard IPv6Check.isValid(host.dropFirst().dropLast()) else { throw SIPParseError("bad IPv6 reference \(host)") }
        } else {
            if let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                host = text
            }
            guard !host.isEmpty, host.utf8.allSatisfy({ byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            }) else {
                throw SIPParseError("bad host \"\(host)\" in \"\(uri)\"")
            }
        }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw SIPParseError("bad port \"\(portText)\" in \"\(uri)\"")
            }
            port = value
        }
        return (String(host), port)
    }

    public var description: String {
        var text = scheme + ":"
        if let user {
            text += user
            if let password { text += ":" + password }
            text += "@"
        }
        text += host
        if let port { text += ":\(port)" }
        text += parameters.serialized
        if let headers { text += "?" + headers }
        return text
    }

    /// `host:port` as a transport would dial it, with the default port for the scheme.
    public var hostPort: (host: String, port: Int) {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return (bare, port ?? (scheme == "sips" ? 5061 : 5060))
    }
}

/// An IPv6 text check without a socket library: hex groups, one `::`, an optional IPv4 tail.
enum IPv6Check {
    static func isValid(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 45 else { return false }
        var body = text
        var groupsAllowed = 8
        if let lastColon = body.lastIndex(of: ":"), body[body.index(after: lastColon)...].contains(".") {
            let v4 = body[body.index(after: lastColon)...].split(separator: ".", omittingEmptySubsequences: false)
            guard v4.count == 4, v4.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) else { return false }
            body = body[...lastColon]
            if body.hasSuffix(":") && !body.hasSuffix("::") { body = body.dropLast() }
            groupsAllowed = 6
        }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        let groups = halves.flatMap { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        guard groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(\.isHexDigit) }) else { return false }
        return halves.count == 2 ? groups.count < groupsAllowed : groups.count == groupsAllowed
    }
}

extension Substring {
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = self
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
