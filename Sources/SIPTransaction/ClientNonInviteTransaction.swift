import SIPMessage

/// The non-INVITE client transaction (RFC 3261 §17.1.2): OPTIONS, BYE, CANCEL, REGISTER...
public struct ClientNonInviteTransaction: Sendable {
    public enum State: Hashable, Sendable { case trying, proceeding, completed, terminated }

    public private(set) var state: State = .trying
    /// Until a final response arrives: then the transaction only absorbs retransmissions.
    public private(set) var request: SIPRequest?
    private let timers: TransactionTimers
    private let reliable: Bool
    private var retransmitInterval: Duration
    /// Over UDP, the time since the request was sent, as Timer E's firings count it: Timer F is
    /// scheduled once the next E would come at or after 64*T1.
    private var elapsed: Duration = .zero

    public init(request: SIPRequest, timers: TransactionTimers = TransactionTimers(), reliable: Bool) {
        self.request = request
        self.timers = timers
        self.reliable = reliable
        retransmitInterval = timers.t1
    }

    public mutating func start() -> [TransactionAction] {
        guard let request else { return [] }
        var actions: [TransactionAction] = [.send(.request(request))]
        actions.append(reliable ? .schedule(.f, after: timers.transactionTimeout)
                                : timers.nextRetransmission(.e, after: retransmitInterval, elapsed: elapsed, orTimeout: .f))
        return actions
    }

    public mutating func receive(_ response: SIPResponse) -> [TransactionAction] {
        switch (state, response.status) {
        case (.trying, 100...199), (.proceeding, 100...199):
            state = .proceeding
            return [.deliver(.response(response))]
        case (.trying, 200...699), (.proceeding, 200...699):
            state = .completed
            request = nil
            return [.cancel(.e), .cancel(.f), .deliver(.response(response)), .schedule(.k, after: reliable ? .zero : timers.t4)]
        default:
            return []
        }
    }

    public mutating func fire(_ timer: TransactionTimer) -> [TransactionAction] {
        switch (state, timer) {
        case (.trying, .e), (.proceeding, .e):
            guard let request else { return [] }
            elapsed += retransmitInterval
            retransmitInterval = state == .trying ? min(retransmitInterval + retransmitInterval, timers.t2) : timers.t2
            return [.send(.request(request)), timers.nextRetransmission(.e, after: retransmitInterval, elapsed: elapsed, orTimeout: .f)]
        case (.trying, .f), (.proceeding, .f):
            state = .terminated
            return [.cancel(.e), .timedOut, .terminated]
        case (.completed, .k):
            state = .terminated
            return [.terminated]
        default:
            return []
        }
    }

    public mutating func transportFailed() -> [TransactionAction] {
        guard state == .trying || state == .proceeding else { return [] }
        state = .terminated
        return [.cancel(.e), .cancel(.f), .transportFailed, .terminated]
    }
}
