import APICommands
import Configuration
import Distributor
import CounterFamilies

/// `distributor` and `distributor_ctl`, with mod_distributor's replies byte for byte.
public enum DistributorCommands {
    public static func register(in commands: CommandRegistry, lists: DistributorRegistry, store: ConfigurationStore,
                                health: GatewayHealth) {
        commands.register(APICommand(
            name: "distributor",
            syntax: "<list name>[ <exception1> <exceptionN>]",
            summary: "Pick the next node of a weighted list",
            run: { arguments, context in
                pick(arguments, lists: lists, down: health.downGateways,
                     tried: context.variable("distributor_tried").map { ArgumentSplitter.split($0) } ?? [])
            }
        ))
        commands.register(APICommand(
            name: "distributor_ctl",
            syntax: "reload | dump <list> | modify <list> <node>=<weight> ...",
            summary: "Reload, show or change the distributor lists",
            run: { control($0, lists: lists, store: store) }
        ))
    }

    private static let picks = CounterFamily(label: "distributor_picks_total", dimensionNames: ["list", "node"])

    /// `"2gw gw1 gw2"`: the list name ends at the first space; the rest are exclusions.
    /// Answers the node name without a newline, or `-err`.
    public static func pick(_ arguments: String, lists: DistributorRegistry, down: () -> [String] = { [] }, tried: [String] = []) -> String {
        let (name, rest) = splitAtFirstSpace(arguments)
        guard !name.isEmpty else { return "-err" }
        let exclusions = rest.map { ArgumentSplitter.split($0) } ?? []
        guard let node = lists.pick(list: name, excluding: exclusions, down: down, tried: tried) else { return "-err" }
        picks.counter(name, node).increment()
        return node
    }

    static func control(_ arguments: String, lists: DistributorRegistry, store: ConfigurationStore) -> String {
        let words = ArgumentSplitter.split(arguments, maxTokens: 50)
        guard let subcommand = words.first?.lowercased() else { return "-error\n" }
        switch subcommand {
        case "reload":
            return lists.reload(from: store.current) ? "+OK reloaded.\n" : "-error\n"
        case "dump":
            guard words.count > 1 else { return "missing list name\n" }
            guard let list = lists.list(named: words[1]) else { return "cannot find list\n" }
            return dump(list)
        case "modify":
            guard words.count > 1 else { return "missing list name\n" }
            var errors = ""
            let modified = lists.modify(list: words[1]) { list -> WeightedList in
                for assignment in words.dropFirst(2) {
                    guard let equals = assignment.firstIndex(of: "=") else { continue }
                    let name = String(assignment[..<equals])
                    guard let node = list.node(named: name) else {
                        errors += "error: node \(name) not found\n"
                        continue
                    }
                    let weight = CInteger.parse(String(assignment[assignment.index(after: equals)...]))
                    if list.setWeight(weight, ofNodeNamed: name) == nil {
                        errors += "error: name=\(node.name), specified weight invalid\n"
                    }
                }
                return list
            }
            guard let modified else { return "cannot find list\n" }
            return errors + dump(modified)
        default:
            return "-error\n"
        }
    }

    static func dump(_ list: WeightedList) -> String {
        var text = "list: name=\(list.name)\n"
        for node in list.nodes {
            text += "node: name=\(node.name) weight=\(node.weight)\n"
        }
        return text
    }

    private static func splitAtFirstSpace(_ text: String) -> (String, String?) {
        guard let space = text.utf8.firstIndex(of: UInt8(ascii: " ")) else { return (text, nil) }
        return (String(text[..<space]), String(text[text.utf8.index(after: space)...]))
    }
}
