import Bridge
import Foundation
import Synchronization
import Testing

struct SerialRunnerTests {
    @Test func workFromInsideRunsAfterTheCurrentPieceNotWithinIt() {
        let runner = SerialRunner()
        let order = Mutex<[String]>([])
        runner.run {
            order.withLock { $0.append("first begins") }
            runner.run { order.withLock { $0.append("second") } }
            order.withLock { $0.append("first ends") }
        }
        #expect(order.withLock { $0 } == ["first begins", "first ends", "second"])
    }

    final class Probe: Sendable {
        let inside = Atomic<Int>(0)
        let overlaps = Atomic<Int>(0)
        let done = Atomic<Int>(0)
    }

    @Test func piecesFromManyThreadsNeverOverlapAndAllRun() async {
        let runner = SerialRunner()
        let probe = Probe()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<2_000 {
                        runner.run {
                            if probe.inside.add(1, ordering: .sequentiallyConsistent).newValue != 1 { probe.overlaps.add(1, ordering: .relaxed) }
                            probe.done.add(1, ordering: .relaxed)
                            probe.inside.subtract(1, ordering: .sequentiallyConsistent)
                        }
                    }
                }
            }
        }
        #expect(probe.overlaps.load(ordering: .relaxed) == 0)
        #expect(probe.done.load(ordering: .relaxed) == 8_000)
    }
}
