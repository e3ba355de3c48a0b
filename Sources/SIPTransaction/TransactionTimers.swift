import SIPMessage

/// RFC 3261 §17 timer values. T1 is the round-trip estimate, T2 the longest retransmit
/// interval for non-INVITE requests and INVITE responses, T4 how long the network holds a message.
public struct TransactionTimers: Hashable, Sendable {
    public var t1: Duration
    public var t2: Duration
    public var t4: Duration
    /// How long an INVITE server transaction waits for its TU before it sends 100 Trying itself.
    public var trying: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5),
                trying: Duration = .milliseconds(200)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.trying = trying
    }

    /// 64*T1: Timers B, F, H, J, L and M.
    public var transactionTimeout: Duration { t1 * 64 }
}

/// The timers a transaction schedules.
public enum TransactionTimer: Int, Hashable, Sendable, CaseIterable {
    /// INVITE client: retransmit (A), give up (B), linger after a non-2xx final (D), absorb 2xx (M).
    case a, b, d, m
    /// Non-INVITE client: retransmit (E), give up (F), linger (K).
    case e, f, k
    /// INVITE server: retransmit the final (G), give up waiting for ACK (H), linger after ACK (I),
    /// 2xx accepted window (L), send 100 Trying (trying), retransmit a 2xx (retransmit2xx).
    case g, h, i, l, trying, retransmit2xx
    /// Non-INVITE server: linger after the final (J).
    case j
}

/// What a transaction machine asks its driver to do.
public enum TransactionAction: Hashable, Sendable {
    /// Put this message on the wire, to the transaction's peer.
    case send(SIPMessage)
    /// Hand this message to the transaction user (responses for a client transaction, the
    /// request and, for a 2xx, its ACK for a server transaction).
    case deliver(SIPMessage)
    case schedule(TransactionTimer, after: Duration)
    case cancel(TransactionTimer)
    /// The peer did not answer in time: the TU acts as on a 408 (client) or a missing ACK (server).
    case timedOut
    /// The transport could not send: the TU acts as on a 503 (RFC 3261 §8.1.3.1).
    case transportFailed
    /// The transaction is over; the driver forgets it.
    case terminated
}


