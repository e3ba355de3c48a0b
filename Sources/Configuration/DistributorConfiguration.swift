import XMLConfig
import TextTrimming

/// `distributor.conf`: the weighted lists, in document order.
public struct DistributorConfiguration: Hashable, Sendable {
    public struct Node: Hashable, Sendable {
        public let name: String
        public let weight: Int
        public let location: SourceLocation
    }

    public struct List: Hashable, Sendable {
        public let name: String
        public let nodes: [Node]
        public let location: SourceLocation
        /// Beyond FreeSWITCH (opt-in `skip-down="true"`): never pick a node whose gateway is DOWN.
        public var skipDown = false
        /// Beyond FreeSWITCH (opt-in `skip-tried="true"`): never pick a gateway this call has tried.
        public var skipTried = false

        public var totalWeight: Int { nodes.reduce(0) { $0 + $1.weight } }
    }

    public let lists: [List]
    public let location: SourceLocation

    public func list(named name: String) -> List? {
        lists.first { $0.name.lowercased() == name.lowercased() }
    }
}

extension DistributorConfiguration {
    /// Reads `<configuration name="distributor.conf">` the way mod_distributor does: only
    /// `<lists>/<list name>/<node name weight>`; what it would skip is a warning.
    static func read(_ configuration: XMLElement, into diagnostics: inout [Diagnostic]) -> DistributorConfiguration? {
        guard let listsElement = configuration.child(named: "lists") else {
            diagnostics.append(.error("missing <lists>; the distributor has no lists", at: configuration))
            return nil
        }
        var lists: [List] = []
        for element in listsElement.children(named: "list") {
            guard let name = element[attribute: "name"], !name.isEmpty else {
                diagnostics.append(.warning("missing attribute \"name\"; list skipped", at: element))
                continue
            }
            if element[attribute: "total-weight"] != nil {
                diagnostics.append(.warning("the total-weight attribute is no longer necessary; ignored", at: element))
            }
            if lists.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                diagnostics.append(.warning("a list named \"\(name)\" already exists (names ignore case); this one is never used", at: element))
            }
            let nodes = element.children(named: "node").compactMap { readNode($0, into: &diagnostics) }
            if nodes.isEmpty {
                diagnostics.append(.warning("list has no usable node; every pick answers -err", at: element))
            }
            var list = List(name: name, nodes: nodes, location: element.location)
            list.skipDown = switchTrue(element[attribute: "skip-down"])
            list.skipTried = switchTrue(element[attribute: "skip-tried"])
            lists.append(list)
        }
        return DistributorConfiguration(lists: lists, location: configuration.location)
    }

    private static func readNode(_ element: XMLElement, into diagnostics: inout [Diagnostic]) -> Node? {
        guard let name = element[attribute: "name"], !name.isEmpty else {
            diagnostics.append(.warning("missing attribute \"name\"; node skipped", at: element))
            return nil
        }
        guard let text = element[attribute: "weight"] else {
            diagnostics.append(.warning("missing attribute \"weight\"; node skipped", at: element))
            return nil
        }
        let weight = CInteger.parse(text)
        guard weight >= 1 else {
            diagnostics.append(.warning("weight \"\(text)\" is not a positive integer; node skipped", at: element))
            return nil
        }
        if String(weight) != text.trimmed() {
            diagnostics.append(.warning("weight \"\(text)\" read as \(weight)", at: element))
        }
        if element[attribute: "value"] != nil {
            diagnostics.append(.warning("the value attribute is not used: a pick returns the node name", at: element))
        }
        return Node(name: name, weight: weight, location: element.location)
    }
}
