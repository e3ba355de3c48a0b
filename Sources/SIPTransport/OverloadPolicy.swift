import NIOCore

/// When new INVITEs are refused so that the calls already taken can finish. Past its
/// capacity a UDP service falls behind, its receive queue overflows, and the kernel drops
/// messages of every kind alike: answers, ACKs and BYEs of calls already half done, each then
/// retransmitted, which adds to the load until hardly any call completes. Answering new
/// INVITEs 503 while the queue is too long keeps the CPU for those calls, and tells each
/// refused caller at once instead of after its retransmissions.
public struct OverloadPolicy: Sendable, Equatable {
    /// The longest a datagram may have waited in the socket's queue before new INVITEs are
    /// refused. A call's answer and then its ACK each wait in the queue once, and at twice
    /// 200 ms both still pass within T1 (500 ms), after which peers retransmit; a shorter
    /// stall (a burst, a busy neighbour on the host) drains by itself and refuses no one.
    public var maxQueueDelay: TimeAmount

    public init(maxQueueDelay: TimeAmount) {
        self.maxQueueDelay = maxQueueDelay
    }

    public static let `default` = OverloadPolicy(maxQueueDelay: .milliseconds(200))

    /// The longest wait let through while the queue drains (the waits getting shorter, as the
    /// backlog of a stall of the host goes down by itself): a fifth more. The answer and the
    /// ACK behind such an INVITE wait less than it did, so at twice 240 ms they still pass within
    /// T1. Without it, a stall of the host a little longer than `maxQueueDelay` would refuse
    /// every new call for as long as its backlog takes to drain, calls that would all complete.
    public var maxDrainingQueueDelay: TimeAmount { .nanoseconds(maxQueueDelay.nanoseconds / 5 * 6) }

    /// Overloaded when a datagram waited too long, or the queue is about to overflow or did
    /// since it was read before: a queue too small to hold `maxQueueDelay` of traffic fills
    /// first. "About to" is more than seven eighths full by the kernel's count, which includes
    /// up to a quarter of the room for datagrams already read: at three quarters, a queue was
    /// seen to drain by itself with no call lost.
    public func isOverloaded(_ load: ReceiveQueueLoad) -> Bool {
        load.waited > (load.draining ? maxDrainingQueueDelay : maxQueueDelay) || load.dropped > 0
            || load.queuedBytes > load.capacityBytes / 8 * 7
    }
}
