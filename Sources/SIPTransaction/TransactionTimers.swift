import SIPMessage

/// RFC 3261 §17 timer values. T1 is the round-trip estimate, T2 the longest retransmit
/// interval for non-INVITE requests and INVITE responses, T4 how long the network holds a message.
public struct TransactionTimers: Hashable, Sendable {
    // Whole milliseconds: every transaction carries a copy, in 16 bytes rather than 64.
    private var t1Milliseconds: UInt32
    private var t2Milliseconds: UInt32
    private var t4Milliseconds: UInt32
    private var tryingMilliseconds: UInt32

    public var t1: Duration {
        get { Self.duration(t1Milliseconds) }
        set { t1Milliseconds = Self.milliseconds(newValue) }
    }
    public var t2: Duration {
        get { Self.duration(t2Milliseconds) }
        set { t2Milliseconds = Self.milliseconds(newValue) }
    }
    public var t4: Duration {
        get { Self.duration(t4Milliseconds) }
        set { t4Milliseconds = Self.milliseconds(newValue) }
    }
    /// How long an INVITE server transaction waits for its TU before it sends 100 Trying itself.
    public var trying: Duration {
        get { Self.duration(tryingMilliseconds) }
        set { tryingMilliseconds = Self.milliseconds(newValue) }
    }

    public init(t1: Duration = .milliseconds(500), t2: Duration = .seconds(4), t4: Duration = .seconds(5),
                trying: Duration = .milliseconds(200)) {
        t1Milliseconds = Self.milliseconds(t1)
        t2Milliseconds = Self.milliseconds(t2)
        t4Milliseconds = Self.milliseconds(t4)
        tryingMilliseconds = Self.milliseconds(trying)
    }

    /// At least 1 ms for a positive duration: a timer of 0 would fire at every turn of the wheel.
    private static func milliseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return UInt32(clamping: duration > .zero ? max(milliseconds, 1) : milliseconds)
    }

    /// 64*T1: Timers B, F, H, J, L and M.
    public var transactionTimeout: Duration { Self.duration(UInt64(t1Milliseconds) * 64) }

    /// Built from its components: `Duration.milliseconds(_:)` and `Duration * Int` are generic
    /// over any integer, and their conversions showed in profiles of every transaction's start
    /// and reply.
    private static func duration(_ milliseconds: some FixedWidthInteger) -> Duration {
        let milliseconds = UInt64(milliseconds)
        return Duration(secondsComponent: Int64(milliseconds / 1000), attosecondsComponent: Int64(milliseconds % 1000) * 1_000_000_000_000_000)
    }

    /// A client transaction over UDP lets its retransmission timer (A, E) carry its time-out (B,
    /// F): the next retransmission after `interval` when it comes before 64*T1 (`elapsed` is the
    /// time its firings have counted so far), else the time-out for what is left. A time-out
    /// scheduled up front is cancelled by nearly every answer, yet stays on the wheel for its
    /// 32 s, to be looked up and found stale.
    func nextRetransmission(_ retransmit: TransactionTimer, after interval: Duration, elapsed: Duration,
                            orTimeout timeout: TransactionTimer) -> TransactionAction {
        let remaining = transactionTimeout - elapsed
        return interval < remaining ? .schedule(retransmit, after: interval) : .schedule(timeout, after: remaining)
    }
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


