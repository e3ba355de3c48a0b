import NIOCore
import SIPTransport
import Testing

struct OverloadPolicyTests {
    let policy = OverloadPolicy(maxQueueDelay: .milliseconds(100))

    @Test func aDatagramThatWaitedPastTheDelayMeansOverload() {
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(100), queuedBytes: 0, capacityBytes: 8 << 20)))
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(101), queuedBytes: 0, capacityBytes: 8 << 20)))
    }

    @Test func aQueueMoreThanThreeQuartersFullMeansOverloadWhateverTheWait() {
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .zero, queuedBytes: 6 << 20, capacityBytes: 8 << 20)))
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .zero, queuedBytes: (6 << 20) + 1, capacityBytes: 8 << 20)))
    }

    @Test func anUnknownQueueSizeIsNotOverload() {
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(1), queuedBytes: 10, capacityBytes: 0)))
    }
}
