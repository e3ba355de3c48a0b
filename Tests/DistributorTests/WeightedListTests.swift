import Distributor
import Testing

/// The sequences of the behaviour spec (§1.2), which FreeSWITCH's mod_distributor produces.
struct WeightedListTests {
    private func list(_ weights: [Int], names: [String]? = nil) -> WeightedList {
        let names = names ?? weights.indices.map { "n\($0 + 1)" }
        return WeightedList(name: "l", nodes: zip(names, weights).map { WeightedNode(name: $0, weight: $1) })
    }

    private func picks(_ list: inout WeightedList, _ count: Int, excluding: [String] = []) -> [String] {
        (0..<count).map { _ in list.pick(excluding: excluding)?.name ?? "-err" }
    }

    private func expand(_ pattern: [(String, Int)]) -> [String] {
        pattern.flatMap { Array(repeating: $0.0, count: $0.1) }
    }

    @Test func oneAndNineGivesFoo1ThenNineFoo2() {
        var test = list([1, 9], names: ["foo1", "foo2"])
        let cycle = ["foo1"] + Array(repeating: "foo2", count: 9)
        #expect(picks(&test, 30) == cycle + cycle + cycle)
    }

    @Test func oneAndOneAlternates() {
        var two = list([1, 1])
        #expect(picks(&two, 6) == ["n1", "n2", "n1", "n2", "n1", "n2"])
    }

    @Test func twoThreeFive() {
        var three = list([2, 3, 5])
        let cycle = ["n1", "n2", "n3", "n1", "n2", "n3", "n2", "n3", "n3", "n3"]
        #expect(picks(&three, 20) == cycle + cycle)
    }

    @Test func fiftyThirtyTwenty() {
        var three = list([50, 30, 20])
        var cycle: [String] = []
        for _ in 0..<20 { cycle += ["n1", "n2", "n3"] }
        for _ in 0..<10 { cycle += ["n1", "n2"] }
        cycle += Array(repeating: "n1", count: 20)
        let result = picks(&three, 200)
        #expect(Array(result[0..<100]) == cycle)
        #expect(Array(result[100..<200]) == cycle)
        #expect(result.filter { $0 == "n1" }.count == 100)
    }

    @Test func tenNinetyNeverGivesTenFoo1InARow() {
        var test = list([10, 90], names: ["foo1", "foo2"])
        var cycle: [String] = []
        for _ in 0..<10 { cycle += ["foo1", "foo2"] }
        cycle += Array(repeating: "foo2", count: 80)
        #expect(picks(&test, 100) == cycle)
        #expect(picks(&test, 100) == cycle)
    }

    @Test func excludedNodesStillSpendCredit() {
        var three = list([2, 3, 5])
        let cycle = ["n1", "n2", "n1", "n2", "n2"]
        #expect(picks(&three, 15, excluding: ["n3"]) == cycle + cycle + cycle)
    }

    @Test func excludingTheHeavyNodeAlwaysGivesTheOther() {
        var test = list([1, 9], names: ["foo1", "foo2"])
        #expect(picks(&test, 12, excluding: ["foo2"]) == Array(repeating: "foo1", count: 12))
    }

    @Test func excludingMidCycleRestartsTheCycle() {
        var test = list([1, 9], names: ["foo1", "foo2"])
        #expect(picks(&test, 3) == ["foo1", "foo2", "foo2"])
        #expect(test.pick(excluding: ["foo2"])?.name == "foo1")
        // The cycle restarted with that foo1: nine foo2 follow, then foo1.
        #expect(picks(&test, 10) == Array(repeating: "foo2", count: 9) + ["foo1"])
    }

    @Test func exclusionsAreCaseSensitive() {
        var two = list([1, 1], names: ["gw1", "gw2"])
        #expect(picks(&two, 4, excluding: ["GW1"]) == ["gw1", "gw2", "gw1", "gw2"])
    }

    @Test func unknownExclusionsAreIgnored() {
        var two = list([1, 1], names: ["gw1", "gw2"])
        #expect(picks(&two, 3, excluding: ["gw9"]) == ["gw1", "gw2", "gw1"])
    }

    @Test func allExcludedOrEmptyGivesNothing() {
        var two = list([1, 1], names: ["gw1", "gw2"])
        #expect(two.pick(excluding: ["gw1", "gw2"]) == nil)
        var empty = list([])
        #expect(empty.pick() == nil)
    }

    /// FreeSWITCH answers `n3, -err, n3, -err` here because its loop gives up after 1,000
    /// iterations; this port goes on to the node that is not excluded (documented fix).
    @Test func heavyExclusionsNoLongerExhaustTheLoop() {
        var three = list([334, 334, 1])
        #expect(picks(&three, 4, excluding: ["n1", "n2"]) == ["n3", "n3", "n3", "n3"])
        var lighter = list([330, 330, 1])
        #expect(picks(&lighter, 4, excluding: ["n1", "n2"]) == ["n3", "n3", "n3", "n3"])
    }

    @Test func duplicateNamesAreSeparateNodes() {
        var list = list([1, 2], names: ["a", "a"])
        #expect(picks(&list, 3) == ["a", "a", "a"])
        #expect(list.nodes.count == 2)
    }

    @Test func resetStartsAgainAtTheFirstNode() {
        var three = list([2, 3, 5])
        _ = picks(&three, 4)
        three.reset()
        #expect(picks(&three, 3) == ["n1", "n2", "n3"])
    }

    @Test func setWeightMatchesNamesIgnoringCase() {
        var two = list([1, 1], names: ["gw1", "gw2"])
        #expect(two.setWeight(3, ofNodeNamed: "GW1")?.weight == 3)
        #expect(two.setWeight(0, ofNodeNamed: "gw1") == nil)
        two.reset()
        #expect(picks(&two, 4) == ["gw1", "gw2", "gw1", "gw1"])
    }

    /// Every result equals the one of a direct transcription of FreeSWITCH's `find_next` on
    /// random lists and exclusions, wherever FreeSWITCH does not hit its 1,000-iteration cap.
    @Test func matchesAReferenceModelOfFreeSWITCH() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<300 {
            let count = Int(generator.next() % 6) + 1
            let weights = (0..<count).map { _ in Int(generator.next() % 7) + 1 }
            let names = (0..<count).map { _ in "n\(generator.next() % 5)" }
            var ours = list(weights, names: names)
            var reference = ReferenceDistributor(names: names, weights: weights)
            for _ in 0..<60 {
                let exclusions = generator.next() % 3 == 0 ? ["n\(generator.next() % 5)"] : []
                let expected = reference.pick(exclusions)
                guard !reference.hitLimit else { break }
                #expect(ours.pick(excluding: exclusions)?.name == expected, "weights \(weights) names \(names)")
            }
        }
    }
}

/// A line-by-line model of mod_distributor's `find_next`, used only as the tests' oracle.
struct ReferenceDistributor {
    var names: [String]
    var weights: [Int]
    var cur: [Int]
    var base: [Int]
    var target: Int
    var last = -1
    var hitLimit = false

    init(names: [String], weights: [Int]) {
        self.names = names
        self.weights = weights
        let total = weights.reduce(0, +)
        target = total
        base = weights.map { total - $0 }
        cur = base
    }

    mutating func reset() {
        cur = base
        last = -1
    }

    mutating func pick(_ exceptions: [String]) -> String? {
        var loops = 0
        while true {
            loops += 1
            if loops > 1000 { hitLimit = true; return nil }
            if last >= names.count { last = -1 }
            var matches = 0
            var match = -1
            for x in names.indices where cur[x] < target {
                matches += 1
                if match == -1 && x > last { match = x }
            }
            if match != -1 {
                cur[match] += 1
                last = match
                if exceptions.contains(names[match]) {
                    if matches == 1 { reset() }
                    continue
                }
                return names[match]
            }
            if matches > 0 { last = -1 } else { reset() }
        }
    }
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
