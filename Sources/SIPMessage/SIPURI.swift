import TextTrimming
/// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966). Other schemes are kept opaque.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    /// Behind one reference, copied on write: a URI travels inside every request, dialog and
    /// name-addr, and copying its seven fields at each hand-over retained each of them.
    private struct Parts: Hashable, Sendable {
        var scheme: String
        var user: String?
        var password: String?
        var host: String
        var port: Int?
        var parameters: [SIPParameter]
        var headers: String?
    }

    private var parts: CopyOnWrite<Parts>

    public var scheme: String {
        _read { yield parts.value.scheme }
        _modify { yield &parts.value.scheme }
    }

    /// Kept escaped as received (`%23` stays `%23`), so nothing a peer relies on changes.
    public var user: String? {
        _read { yield parts.value.user }
        _modify { yield &parts.value.user }
    }

    public var password: String? {
        _read { yield parts.value.password }
        _modify { yield &parts.value.password }
    }

    /// A host name, an IPv4 address or a bracketed IPv6 reference; the number of a tel URI;
    /// the whole rest of an opaque URI.
    public var host: String {
        _read { yield parts.value.host }
        _modify { yield &parts.value.host }
    }

    public var port: Int? {
        get { parts.value.port }
        set { parts.value.port = newValue }
    }

    public var parameters: [SIPParameter] {
        _read { yield parts.value.parameters }
        _modify { yield &parts.value.parameters }
    }

    /// The `?h=v&...` part, raw.
    public var headers: String? {
        _read { yield parts.value.headers }
        _modify { yield &parts.value.headers }
    }

    public var isSIP: Bool { scheme == "sip" || scheme == "sips" }

    public init(scheme: String = "sip", user: String? = nil, password: String? = nil, host: String, port: Int? = nil,
                parameters: [SIPParameter] = [], headers: String? = nil) {
        parts = CopyOnWrite(Parts(scheme: scheme, user: user, password: password, host: host, port: port,
                                  parameters: parameters, headers: headers))
    }

    public static func == (lhs: SIPURI, rhs: SIPURI) -> Bool {
        lhs.parts.isIdentical(to: rhs.parts) || lhs.parts.value == rhs.parts.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts.value)
    }

    public init(_ text: String) throws(SIPParseError) {
        self = try ByteText.reading(text) { bytes throws(SIPParseError) in try SIPURI(bytes, bytes.all) }
    }

    /// Parses `range` of a larger value (a name-addr's `<...>`) in place.
    init(_ text: ByteText, _ range: Range<Int>) throws(SIPParseError) {
        try self.init(text, Self.scan(text, range))
    }

    /// Where the parts of a URI lie in a text, found and checked without making a string:
    /// what a From or To needs on every message, where only its tag is read.
    struct Layout {
        var scheme: String
        var user: Range<Int>?
        var password: Range<Int>?
        var host: Range<Int>
        var port: Int?
        var parameters: Range<Int>?
        var headers: Range<Int>?
    }

    /// The URI built from the parts `scan` found and checked.
    init(_ text: ByteText, _ layout: Layout) throws(SIPParseError) {
        self.init(scheme: layout.scheme, user: layout.user.map(text.string), password: layout.password.map(text.string),
                  host: text.string(layout.host), port: layout.port,
                  parameters: try layout.parameters.map { range throws(SIPParseError) in try SIPGrammar.parseParameters(text, range) } ?? [],
                  headers: layout.headers.map(text.string))
    }

    static func scan(_ text: ByteText, _ range: Range<Int>) throws(SIPParseError) -> Layout {
        let value = text.trimmed(range)
        var original: String { text.string(range) }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":"), in: value) else { throw SIPParseError("URI \"\(original)\" has no scheme") }
        let schemeRange = value.lowerBound..<colon
        guard text.isToken(schemeRange), (0x41...0x5A).contains(text[schemeRange.lowerBound] & 0xDF) else {
            throw SIPParseError("URI \"\(original)\" has a bad scheme")
        }
        let scheme = text.equals(schemeRange, ignoringCase: "sip") ? "sip" : text.lowercased(schemeRange)
        var rest = colon + 1..<value.upperBound
        guard !rest.isEmpty else { throw SIPParseError("URI \"\(original)\" is empty after its scheme") }
        guard !text.contains(0x20, in: rest) else { throw SIPParseError("URI \"\(original)\" contains a space") }
        var layout = Layout(scheme: scheme, host: rest)
        switch scheme {
        case "sip", "sips":
            if let question = text.firstIndex(of: UInt8(ascii: "?"), in: rest) {
                layout.headers = question + 1..<rest.upperBound
                rest = rest.lowerBound..<question
            }
            if let at = text.lastIndex(of: UInt8(ascii: "@"), in: rest) {
                let userinfo = rest.lowerBound..<at
                guard !userinfo.isEmpty else { throw SIPParseError("URI \"\(original)\" has an empty user part") }
                if let passwordColon = text.firstIndex(of: UInt8(ascii: ":"), in: userinfo) {
                    layout.user = userinfo.lowerBound..<passwordColon
                    layout.password = passwordColon + 1..<userinfo.upperBound
                } else {
                    layout.user = userinfo
                }
                rest = at + 1..<rest.upperBound
            }
            var hostport = rest
            if let semicolon = text.firstIndex(of: UInt8(ascii: ";"), in: rest) {
                hostport = rest.lowerBound..<semicolon
                layout.parameters = semicolon + 1..<rest.upperBound
                try SIPGrammar.forEachParameter(text, semicolon + 1..<rest.upperBound) { _, _ in }
            }
            (layout.host, layout.port) = try Self.scanHostPort(text, hostport, in: original)
        case "tel":
            if let semicolon = text.firstIndex(of: UInt8(ascii: ";"), in: rest) {
                layout.host = rest.lowerBound..<semicolon
                layout.parameters = semicolon + 1..<rest.upperBound
                try SIPGrammar.forEachParameter(text, semicolon + 1..<rest.upperBound) { _, _ in }
            }
            guard !layout.host.isEmpty else { throw SIPParseError("tel URI \"\(original)\" has no number") }
        default:
            break
        }
        return layout
    }

    /// `host[:port]` with IPv6 references in brackets.
    static func parseHostPort(_ text: ByteText, _ range: Range<Int>, in uri: @autoclosure () -> String) throws(SIPParseError) -> (String, Int?) {
        let (host, port) = try scanHostPort(text, range, in: uri())
        return (text.string(host), port)
    }

    /// Where the host of `host[:port]` lies (an IPv6 reference with its brackets), and the port.
    static func scanHostPort(_ text: ByteText, _ range: Range<Int>, in uri: @autoclosure () -> String) throws(SIPParseError) -> (Range<Int>, Int?) {
        var host = range
        var portRange: Range<Int>?
        if !range.isEmpty, text[range.lowerBound] == UInt8(ascii: "[") {
            guard let close = text.firstIndex(of: UInt8(ascii: "]"), in: range) else { throw SIPParseError("unclosed IPv6 reference in \"\(uri())\"") }
            host = range.lowerBound..<close + 1
            if close + 1 < range.upperBound {
                guard text[close + 1] == UInt8(ascii: ":") else { throw SIPParseError("junk after IPv6 reference in \"\(uri())\"") }
                portRange = close + 2..<range.upperBound
            }
            guard IPv6Check.isValid(Substring(text.string(host.lowerBound + 1..<host.upperBound - 1))) else {
                throw SIPParseError("bad IPv6 reference \(text.string(host))")
            }
        } else {
            if let colon = text.firstIndex(of: UInt8(ascii: ":"), in: range) {
                host = range.lowerBound..<colon
                portRange = colon + 1..<range.upperBound
            }
            guard !host.isEmpty, text[host].allSatisfy(isHostByte) else {
                throw SIPParseError("bad host \"\(text.string(host))\" in \"\(uri())\"")
            }
        }
        var port: Int?
        if let portRange {
            let isNumber = (1...5).contains(portRange.count) && text[portRange].allSatisfy { (0x30...0x39).contains($0) }
            let value = isNumber ? text[portRange].reduce(0) { $0 * 10 + Int($1 - 0x30) } : 0
            guard (1...65535).contains(value) else {
                throw SIPParseError("bad port \"\(text.string(portRange))\" in \"\(uri())\"")
            }
            port = value
        }
        return (host, port)
    }

    /// A letter, digit, `-`, `.` or `_`: what a host name or IPv4 address is made of.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        let word: UInt64 = byte < 64 ? 0x3ff600000000000 : byte < 128 ? 0x7fffffe87fffffe : 0
        return word & (1 << UInt64(byte & 63)) != 0
    }

    /// The description's bytes appended in place (a Request-URI on every request sent).
    func append(to bytes: inout some ByteSink) {
        bytes.write(scheme)
        bytes.write(UInt8(ascii: ":"))
        if let user {
            bytes.write(user)
            if let password {
                bytes.write(UInt8(ascii: ":"))
                bytes.write(password)
            }
            bytes.write(UInt8(ascii: "@"))
        }
        SIPSerializer.appendHostPort(host, port, to: &bytes)
        parameters.append(to: &bytes)
        if let headers {
            bytes.write(UInt8(ascii: "?"))
            bytes.write(headers)
        }
    }

    /// At most the bytes its description takes, to size a buffer once.
    public var serializedCount: Int {
        scheme.utf8.count + 3 + (user?.utf8.count ?? 0) + (password?.utf8.count ?? 0) + host.utf8.count
            + (port.map { 1 + SIPSerializer.decimalCount($0) } ?? 0) + parameters.serializedCount + 1 + (headers?.utf8.count ?? 0)
    }

    public var description: String {
        TextBuilder.text(capacity: serializedCount) { $0.append(self) }
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
