import NIOCore

/// How far behind a UDP socket's reader is: how long the last datagram read waited in the
/// kernel's receive queue, how full that queue is now, and whether it overflowed lately.
public struct ReceiveQueueLoad: Sendable, Equatable {
    public var waited: TimeAmount
    public var queuedBytes: Int
    public var capacityBytes: Int
    /// Datagrams the kernel dropped, for want of room in the queue, since it was read before
    /// (0 when that read was more than a second ago).
    public var dropped: Int
    /// Whether the waits have been getting shorter lately: the backlog of a stall draining by
    /// itself, not an overload.
    public var draining: Bool

    public init(waited: TimeAmount, queuedBytes: Int, capacityBytes: Int, dropped: Int = 0, draining: Bool = false) {
        self.waited = waited
        self.queuedBytes = queuedBytes
        self.capacityBytes = capacityBytes
        self.dropped = dropped
        self.draining = draining
    }
}
