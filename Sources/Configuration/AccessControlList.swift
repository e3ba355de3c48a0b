import XMLConfig
import IPAddressing

/// A `<list>` of `acl.conf`: CIDR entries checked in order, the first match deciding, else the
/// list's default.
public struct AccessControlList: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public let allow: Bool
        public let network: IPNetwork
        public let location: SourceLocation
    }

    public let name: String
    public let allowByDefault: Bool
    public let entries: [Entry]

    public init(name: String, allowByDefault: Bool, entries: [Entry]) {
        self.name = name
        self.allowByDefault = allowByDefault
        self.entries = entries
    }

    public func allows(_ address: IPAddress) -> Bool {
        for entry in entries where entry.network.contains(address) {
            return entry.allow
        }
        return allowByDefault
    }

    /// The lists FreeSWITCH builds itself; `loopback.auto` is the only one meaningful here.
    public static let builtIn: [AccessControlList] = [
        AccessControlList(name: "loopback.auto", allowByDefault: false, entries: [
            Entry(allow: true, network: IPNetwork("127.0.0.0/8")!, location: SourceLocation(file: "(built in)", line: 0)),
            Entry(allow: true, network: IPNetwork("::1/128")!, location: SourceLocation(file: "(built in)", line: 0)),
        ]),
    ]

    static func readAll(_ configuration: XMLElement, into diagnostics: inout [Diagnostic]) -> [AccessControlList] {
        guard let lists = configuration.child(named: "network-lists") else {
            diagnostics.append(.warning("missing <network-lists>; no list defined", at: configuration))
            return []
        }
        return lists.children(named: "list").compactMap { read($0, into: &diagnostics) }
    }

    private static func read(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> AccessControlList? {
        guard let name = element[attribute: "name"], !name.isEmpty else {
            diagnostics.append(.warning("missing attribute \"name\"; list skipped", at: element))
            return nil
        }
        let allowByDefault = element[attribute: "default"]?.lowercased() == "allow"
        var entries: [Entry] = []
        for node in element.children(named: "node") {
            let type = node[attribute: "type"]?.lowercased()
            guard type == "allow" || type == "deny" else {
                diagnostics.append(.warning("type must be \"allow\" or \"deny\"; node skipped", at: node))
                continue
            }
            guard let cidr = node[attribute: "cidr"] else {
                diagnostics.append(.warning("only cidr nodes are supported (no user directory); node skipped", at: node))
                continue
            }
            guard let network = IPNetwork(cidr) else {
                diagnostics.append(.warning("cidr \"\(cidr)\" is not an IPv4 or IPv6 network; node skipped", at: node))
                continue
            }
            entries.append(Entry(allow: type == "allow", network: network, location: node.location))
        }
        return AccessControlList(name: name, allowByDefault: allowByDefault, entries: entries)
    }
}
