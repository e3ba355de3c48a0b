/// One mod_distributor list and its pick cursor: credit round robin in config order.
///
/// Each cycle gives every node `weight` credits; a pick walks on from the last picked node to the
/// next node that still has credit, wrapping to the first, and a new cycle starts when no node
/// has credit left. Excluded nodes still spend a credit when the walk reaches them, as in
/// FreeSWITCH. The nodes with credit are kept in a linked list, so a pick costs O(1) amortised
/// whatever the list's size, instead of FreeSWITCH's scan of every node.
///
/// One deliberate difference: FreeSWITCH gives up after 1,000 loop iterations even when a
/// node that is not excluded exists (weights 334, 334, 1 excluding the first two answer `-err`
/// every other call). Here the walk skips straight to the cycle reset FreeSWITCH would reach, so
/// such a pick returns the node; every other result is the same as FreeSWITCH's.
public struct WeightedList: Sendable {
    public let name: String
    public private(set) var nodes: [WeightedNode]
    /// Skip nodes whose gateway is DOWN (an opt-in beyond FreeSWITCH).
    public let skipDown: Bool
    /// Skip gateways the calling channel has already tried (an opt-in beyond FreeSWITCH).
    public let skipTried: Bool

    private var credit: [Int] = []
    private var next: [Int] = []
    private var previous: [Int] = []
    private var first = -1
    private var withCredit = 0
    /// The first node with credit after the last pick, or -1 when the walk must wrap.
    private var cursor = -1
    private var indicesByName: [String: [Int]] = [:]
    /// How often each node was picked since the list was loaded: its actual share.
    public private(set) var picks: [Int]

    /// FreeSWITCH's loop bound, kept for the case where every node is excluded.
    static let iterationLimit = 1000

    public init(name: String, nodes: [WeightedNode], skipDown: Bool = false, skipTried: Bool = false) {
        self.name = name
        self.nodes = nodes
        self.skipDown = skipDown
        self.skipTried = skipTried
        picks = Array(repeating: 0, count: nodes.count)
        indexNames()
        reset()
    }

    /// The next node, skipping (but charging) the excluded names; nil when nothing can be picked.
    public mutating func pick(excluding exclusions: [String] = []) -> WeightedNode? {
        guard !nodes.isEmpty else { return nil }
        var excluded: [Int] = []
        for name in exclusions {
            for index in indicesByName[name] ?? [] where !excluded.contains(index) { excluded.append(index) }
        }
        guard !excluded.isEmpty else { return take(advance()) }
        if excluded.count == nodes.count {
            spendLikeFreeSWITCHWhenAllExcluded()
            return nil
        }
        if !hasCredit(outside: excluded) {
            // FreeSWITCH would spend the excluded nodes' remaining credit and then reset.
            reset()
        }
        while true {
            let index = advance()
            guard excluded.contains(index) else { return take(index) }
            spend(index)
        }
    }

    /// Starts a new cycle at the first node, as load, reload and modify do.
    public mutating func reset() {
        let count = nodes.count
        if credit.count != count {
            credit = Array(repeating: 0, count: count)
            next = Array(repeating: -1, count: count)
            previous = Array(repeating: -1, count: count)
        }
        for index in 0..<count {
            credit[index] = nodes[index].weight
            next[index] = index + 1 < count ? index + 1 : -1
            previous[index] = index - 1
        }
        first = count == 0 ? -1 : 0
        withCredit = count
        cursor = first
    }

    /// Sets the weight of the first node whose name matches case-insensitively (FreeSWITCH's
    /// `distributor_ctl modify`), without resetting; call `reset()` after a batch of changes.
    public mutating func setWeight(_ weight: Int, ofNodeNamed name: String) -> WeightedNode? {
        guard weight >= 1, let index = nodes.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
            return nil
        }
        nodes[index] = WeightedNode(name: nodes[index].name, weight: weight)
        return nodes[index]
    }

    public func node(named name: String) -> WeightedNode? {
        nodes.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The index the walk lands on next, wrapping or starting a new cycle as needed.
    private mutating func advance() -> Int {
        if cursor == -1 {
            if withCredit == 0 { reset() }
            cursor = first
        }
        return cursor
    }

    private mutating func take(_ index: Int) -> WeightedNode {
        spend(index)
        picks[index] += 1
        return nodes[index]
    }

    private mutating func spend(_ index: Int) {
        credit[index] -= 1
        cursor = next[index]
        if credit[index] == 0 { unlink(index) }
    }

    private mutating func unlink(_ index: Int) {
        let before = previous[index], after = next[index]
        if before == -1 { first = after } else { next[before] = after }
        if after != -1 { previous[after] = before }
        withCredit -= 1
    }

    private func hasCredit(outside excluded: [Int]) -> Bool {
        var excludedWithCredit = 0
        for index in excluded where credit[index] > 0 { excludedWithCredit += 1 }
        return withCredit > excludedWithCredit
    }

    /// Every node is excluded: FreeSWITCH walks 1,000 times, spending credit, and returns
    /// nothing. Doing the same keeps the following picks identical to FreeSWITCH's.
    private mutating func spendLikeFreeSWITCHWhenAllExcluded() {
        for _ in 0..<Self.iterationLimit {
            if cursor == -1 {
                if withCredit == 0 { reset() } else { cursor = first }
                continue
            }
            let onlyOne = withCredit == 1
            spend(cursor)
            if onlyOne { reset() }
        }
    }

    private mutating func indexNames() {
        indicesByName = [:]
        for (index, node) in nodes.enumerated() {
            indicesByName[node.name, default: []].append(index)
        }
    }
}
