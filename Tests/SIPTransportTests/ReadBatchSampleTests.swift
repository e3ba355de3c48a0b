@testable import SIPTransport
import Testing

/// One queue sample per read batch: the kernel is asked once, its drops told once.
struct ReadBatchSampleTests {
    @Test func aBatchSamplesOnceAndTellsItsDropsToTheFirstInviteOnly() {
        var batch = ReadBatchSample()
        var taken = 0
        let take = { () -> ReceiveQueueProbe.Sample in
            taken += 1
            return ReceiveQueueProbe.Sample(stamp: Int64(taken), queuedBytes: 100 * taken, capacityBytes: 4096, dropped: 3)
        }
        let first = batch.sample(taking: take)
        let second = batch.sample(taking: take)
        #expect(taken == 1)
        #expect(first.dropped == 3 && second.dropped == 0)
        #expect(second.stamp == first.stamp && second.queuedBytes == first.queuedBytes)
        batch.end()
        let next = batch.sample(taking: take)
        #expect(taken == 2)
        #expect(next.stamp == 2 && next.dropped == 3)
    }
}
