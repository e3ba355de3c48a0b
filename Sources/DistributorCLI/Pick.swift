import ArgumentParser
import Configuration
import Control

struct Pick: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the next picks of a distributor list, as a fresh service would make them."
    )

    @OptionGroup var tree: TreeOptions

    @Argument(help: "The list name (case-insensitive).")
    var list: String

    @Option(name: [.customShort("n"), .long], help: "How many picks.")
    var count = 10

    @Option(name: .customLong("exclude"), parsing: .upToNextOption, help: "Node names to skip (case-sensitive).")
    var exclusions: [String] = []

    func validate() throws {
        guard count >= 0 else { throw ValidationError("-n must not be negative") }
    }

    func run() throws {
        let loader = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
        let configuration = try loadOrExplain(loader)
        let runtime = ServiceRuntime(loader: loader, configuration: configuration)
        guard runtime.lists.list(named: list) != nil else {
            throw ValidationError("no distributor list named \"\(list)\"")
        }
        var counts: [String: Int] = [:]
        var order: [String] = []
        for _ in 0..<count {
            let node = runtime.lists.pick(list: list, excluding: exclusions) ?? "-err"
            print(node)
            if counts[node] == nil { order.append(node) }
            counts[node, default: 0] += 1
        }
        print("--")
        for node in order {
            print("\(node)\t\(counts[node]!)")
        }
    }
}
