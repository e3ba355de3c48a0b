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

    /// Overloaded when a datagram waited too long, or the queue is about to overflow or did
    /// since it was read before: a queue too small to hold `maxQueueDelay` of traffic fills
    /// first. "About to" is more than seven eighths full by the kernel's count, which includes
    /// up to a quarter of the room for datagrams already read: at three quarters, a queue was
    /// seen to drain by itself with no call lost.
    public func isOverloaded(_ load: ReceiveQueueLoad) -> Bool {
        load.waited > maxQueueDelay || load.dropped > 0 || load.queuedBytes > load.capacityBytes / 8 * 7
    }
}
