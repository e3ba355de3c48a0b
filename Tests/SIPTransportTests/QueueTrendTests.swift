@testable import SIPTransport
import Testing

struct QueueTrendTests {
    /// The verdict after each wait, both given in ms: (waited, read at).
    private func verdicts(_ samples: [(waited: Int64, at: Int64)]) -> [Bool] {
        var trend = QueueTrend()
        return samples.map { trend.observe(waited: $0.waited * 1_000_000, at: $0.at * 1_000_000) }
    }

    @Test func waitsGettingShorterOverASpanAreADrainingQueue() {
        // The first wait is the reference; within a span the verdict before stands, unless a
        // wait is longer than the reference, which ends it at once.
        #expect(verdicts([(250, 1_000), (240, 1_010), (244, 1_030), (240, 1_040), (300, 1_045), (230, 1_060)])
            == [false, false, true, true, false, true])
    }

    @Test func waitsGettingLongerOrShorterByNoMoreThanTheJitterAreNot() {
        #expect(verdicts([(200, 0), (210, 30), (208, 60), (205, 90)]) == [false, false, false, true])
    }

    @Test func aReferenceFromBeforeAStallSaysNothing() {
        // 300 ms after the last wait (the loop stalled): the wait read now is compared with nothing.
        #expect(verdicts([(400, 0), (300, 300), (290, 330)]) == [false, false, true])
    }
}
