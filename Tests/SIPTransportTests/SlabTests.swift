@testable import SIPTransport
import Testing

struct SlabTests {
    @Test func findsValuesByKeyMakesOnlyWhatIsMissingAndReusesFreedPlaces() {
        var slab = Slab<String, Int>()
        let a = slab.position(of: "a") { 1 }
        let b = slab.position(of: "b") { 2 }
        var made = false
        #expect(slab.position(of: "a") { made = true; return 99 } == a)
        #expect(!made)
        #expect(slab[a] == 1)
        slab[b] += 10
        #expect(slab[b] == 12)
        slab.remove("a")
        slab.remove("a")
        #expect(!slab.contains("a"))
        #expect(slab.index(of: "a") == nil)
        #expect(slab.position(of: "c") { 3 } == a)
        #expect(slab.count == 2)
        #expect(slab.capacity == 2)
    }

    @Test func afterABurstTheSurvivorsMoveIntoStorageTheirSizeAndKeepTheirValues() {
        var slab = Slab<Int, String>()
        for key in 0..<1000 { _ = slab.position(of: key) { "value \(key)" } }
        #expect(slab.capacity == 1000)
        for key in 0..<1000 where key % 100 != 0 { slab.remove(key) }
        #expect(slab.count == 10)
        #expect(slab.capacity < 1000 / 8)
        for key in stride(from: 0, to: 1000, by: 100) {
            #expect(slab.index(of: key).map { slab[at: $0] } == "value \(key)")
        }
        // New values go into the compacted storage's free places, then at its end.
        let before = slab.capacity
        for key in 1000..<(1000 + before) { _ = slab.position(of: key) { "value \(key)" } }
        #expect(slab.capacity == before + 10)
        #expect(slab.index(of: 1000 + before - 1).map { slab[at: $0] } == "value \(1000 + before - 1)")
        #expect(slab.index(of: 500).map { slab[at: $0] } == "value 500")
    }

    @Test func aFoundIndexReadsChangesAndRemovesWithoutAnotherLookUp() throws {
        var slab = Slab<String, Int>()
        _ = slab.position(of: "a") { 1 }
        _ = slab.position(of: "b") { 2 }
        let index = try #require(slab.index(of: "b"))
        slab[at: index] += 40
        #expect(slab[at: index] == 42)
        slab.remove(at: index)
        #expect(!slab.contains("b"))
        #expect(slab.index(of: "a").map { slab[at: $0] } == 1)
        #expect(slab.position(of: "c") { 3 } == 1)
    }

    @Test func smallTablesAreNeverCompacted() {
        var slab = Slab<Int, Int>()
        for key in 0..<Slab<Int, Int>.compactionFloor { _ = slab.position(of: key) { key } }
        for key in 1..<Slab<Int, Int>.compactionFloor { slab.remove(key) }
        #expect(slab.capacity == Slab<Int, Int>.compactionFloor)
        #expect(slab.index(of: 0).map { slab[at: $0] } == 0)
    }
}
