import SIPTransport
import Testing

struct SparseDictionaryTests {
    @Test func shrinksOnceAnEighthFullAndKeepsItsEntries() {
        var table = Dictionary(uniqueKeysWithValues: (0..<10_000).map { ($0, "call \($0)") })
        let grown = table.capacity
        for key in 0..<8_000 { table[key] = nil }
        table.shrinkIfSparse()
        #expect(table.capacity == grown)
        for key in 8_000..<9_900 { table[key] = nil }
        table.shrinkIfSparse()
        #expect(table.capacity < grown / 8)
        #expect(table.count == 100)
        #expect(table[9_950] == "call 9950")
        // Small tables are left as they are.
        var small = Dictionary(uniqueKeysWithValues: (0..<100).map { ($0, $0) })
        let smallCapacity = small.capacity
        for key in 0..<99 { small[key] = nil }
        small.shrinkIfSparse()
        #expect(small.capacity == smallCapacity)
    }
}
