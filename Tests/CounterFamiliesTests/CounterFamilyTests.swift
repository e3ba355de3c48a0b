import CounterFamilies
import Metrics
import Testing

struct CounterFamilyTests {
    @Test func theSameLabelValuesGiveTheSameCounterAndOthersANewOne() {
        let family = CounterFamily(label: "test_picks_total", dimensionNames: ["list", "node"])
        let first = family.counter("2gw", "gw1")
        #expect(family.counter("2gw", "gw1") === first)
        #expect(family.counter("2gw", "gw2") !== first)
        #expect(first.label == "test_picks_total")
        #expect(first.dimensions.map(\.0) == ["list", "node"])
        #expect(first.dimensions.map(\.1) == ["2gw", "gw1"])
    }
}
