import Distributor
import Testing

struct DistributorRegistryTests {
    private func registry() -> DistributorRegistry {
        DistributorRegistry(lists: [
            WeightedList(name: "2gw", nodes: [WeightedNode(name: "gw1", weight: 1), WeightedNode(name: "gw2", weight: 1)]),
            WeightedList(name: "test", nodes: [WeightedNode(name: "foo1", weight: 1), WeightedNode(name: "foo2", weight: 9)]),
        ])
    }

    @Test func listNamesIgnoreCase() {
        let lists = registry()
        #expect(lists.pick(list: "2GW") == "gw1")
        #expect(lists.pick(list: "2gw") == "gw2")
        #expect(lists.pick(list: "nosuchlist") == nil)
    }

    @Test func replaceRestartsEveryCycle() {
        let lists = registry()
        _ = lists.pick(list: "2gw")
        lists.replace(with: lists.lists)
        #expect(lists.pick(list: "2gw") == "gw1")
    }

    @Test func concurrentCallersShareOneCursorAndKeepExactTotals() async {
        let lists = registry()
        let perTask = 1_000
        let tasks = 8
        let counts = await withTaskGroup(of: [String: Int].self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var counts: [String: Int] = [:]
                    for _ in 0..<perTask {
                        counts[lists.pick(list: "test") ?? "-err", default: 0] += 1
                    }
                    return counts
                }
            }
            var total: [String: Int] = [:]
            for await partial in group {
                total.merge(partial, uniquingKeysWith: +)
            }
            return total
        }
        // 8,000 picks are 800 whole cycles of 1 + 9.
        #expect(counts == ["foo1": 800, "foo2": 7_200])
    }

    @Test func modifyResetsTheCycle() {
        let lists = registry()
        _ = lists.pick(list: "test")
        let changed = lists.modify(list: "TEST") { $0.setWeight(2, ofNodeNamed: "foo1") }
        #expect(changed??.weight == 2)
        let picks = (0..<4).map { _ in lists.pick(list: "test") }
        #expect(picks == ["foo1", "foo2", "foo1", "foo2"])
        #expect(lists.modify(list: "none") { _ in () } == nil)
    }
}
