import Distributor
import Foundation

// Microbenchmarks, run by hand in a release build: swift run -c release distributor-bench
// Each figure is the mean over whole cycles, so every node's credit is spent the same number
// of times.

func measurePick(nodes: Int, weight: Int, cycles: Int, exclusions: [String] = []) -> Double {
    var list = WeightedList(name: "bench", nodes: (0..<nodes).map { WeightedNode(name: "gw\($0)", weight: weight) })
    let picks = nodes * weight * cycles
    var checksum = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<picks {
        checksum &+= list.pick(excluding: exclusions)?.weight ?? 0
    }
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    precondition(checksum == (exclusions.isEmpty ? picks * weight : checksum))
    return Double(elapsed) / Double(picks)
}

func measureRegistry(nodes: Int, picks: Int) -> Double {
    let registry = DistributorRegistry(lists: [WeightedList(name: "bench", nodes: (0..<nodes).map { WeightedNode(name: "gw\($0)", weight: 1) })])
    let start = DispatchTime.now().uptimeNanoseconds
    var total = 0
    for _ in 0..<picks { total &+= registry.pick(list: "bench")?.utf8.count ?? 0 }
    precondition(total > 0)
    return Double(DispatchTime.now().uptimeNanoseconds - start) / Double(picks)
}

print("distributor pick, mean ns per pick (release build)")
print(String(format: "  WeightedList, 2 nodes (1,1), 1,000,000 cycles:        %8.1f", measurePick(nodes: 2, weight: 1, cycles: 1_000_000)))
print(String(format: "  WeightedList, 10,000 nodes weight 3, 100 cycles:      %8.1f", measurePick(nodes: 10_000, weight: 3, cycles: 100)))
print(String(format: "  WeightedList, 10,000 nodes, 2 excluded, 100 cycles:   %8.1f", measurePick(nodes: 10_000, weight: 1, cycles: 100, exclusions: ["gw1", "gw5000"])))
print(String(format: "  DistributorRegistry (lock + lookup), 2 nodes:         %8.1f", measureRegistry(nodes: 2, picks: 2_000_000)))
print(String(format: "  DistributorRegistry (lock + lookup), 10,000 nodes:    %8.1f", measureRegistry(nodes: 10_000, picks: 2_000_000)))
