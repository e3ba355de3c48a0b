import NIOCore
import SIPTransport
import Testing

struct OverloadPolicyTests {
    let policy = OverloadPolicy(maxQueueDelay: .milliseconds(100))

    @Test func aDatagramThatWaitedPastTheDelayMeansOverload() {
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(100), queuedBytes: 0, capacityBytes: 8 << 20)))
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(101), queuedBytes: 0, capacityBytes: 8 << 20)))
    }

    @Test func aDrainingQueueMayWaitAFifthLonger() {
        #expect(policy.maxDrainingQueueDelay == .milliseconds(120))
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(120), queuedBytes: 0, capacityBytes: 8 << 20, draining: true)))
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(121), queuedBytes: 0, capacityBytes: 8 << 20, draining: true)))
        // Draining or not, a queue that overflowed or is about to is overload.
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .zero, queuedBytes: 0, capacityBytes: 8 << 20, dropped: 1, draining: true)))
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .zero, queuedBytes: (7 << 20) + 1, capacityBytes: 8 << 20, draining: true)))
    }

    @Test func aQueueThatOverflowedSinceTheReadBeforeMeansOverloadWhateverTheWait() {
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .zero, queuedBytes: 0, capacityBytes: 8 << 20, dropped: 1)))
    }

    @Test func aQueueMoreThanSevenEighthsFullMeansOverload() {
        // The kernel's count includes room held for datagrams already read: three quarters drains by itself.
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(50), queuedBytes: 6 << 20, capacityBytes: 8 << 20)))
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(50), queuedBytes: 7 << 20, capacityBytes: 8 << 20)))
        #expect(policy.isOverloaded(ReceiveQueueLoad(waited: .milliseconds(50), queuedBytes: (7 << 20) + 1, capacityBytes: 8 << 20)))
    }

    @Test func anUnknownQueueIsNotOverload() {
        #expect(!policy.isOverloaded(ReceiveQueueLoad(waited: .zero, queuedBytes: 0, capacityBytes: 0)))
    }
}
