import SIPMessage

/// The INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's Accepted state). It sends
/// 100 Trying itself when the TU has not answered within `timers.trying`, and retransmits a 2xx
/// until the ACK arrives, so the TU only says what to answer.
public struct ServerInviteTransaction: Sendable {
    public enum State: Hashable, Sendable { case proceeding, completed, confirmed, accepted, terminated }

    public private(set) var state: State = .proceeding
    /// The whole INVITE until a final response is sent; then its skeleton, which matches the
    /// ACK and reports a missing one; nothing once the ACK came, for the 32 s the transaction
    /// still absorbs retransmissions.
    public private(set) var request: SIPRequest?
    private let timers: TransactionTimers
    private let reliable: Bool
    private var lastResponse: SIPResponse?
    private var retransmitInterval: Duration
    /// A 2xx was sent and its ACK has not come yet.
    public private(set) var awaitsAck = false

    public init(request: SIPRequest, timers: TransactionTimers = TransactionTimers(), reliable: Bool) {
        self.request = request
        self.timers = timers
        self.reliable = reliable
        retransmitInterval = timers.t1
    }

    public mutating func start() -> [TransactionAction] {
        guard let request else { return [] }
        return [.deliver(.request(request)), .schedule(.trying, after: timers.trying)]
    }

    /// The TU answers.
    public mutating func send(_ response: SIPResponse) -> [TransactionAction] {
        switch (state, response.status) {
        case (.proceeding, 100...199):
            lastResponse = response
            return [.cancel(.trying), .send(.response(response))]
        case (.proceeding, 200...299):
            state = .accepted
            awaitsAck = true
            lastResponse = response.detached
            request = request?.skeleton
            var actions: [TransactionAction] = [.cancel(.trying), .send(.response(response)), .schedule(.l, after: timers.transactionTimeout)]
            if !reliable { actions.append(.schedule(.retransmit2xx, after: retransmitInterval)) }
            return actions
        case (.proceeding, 300...699):
            state = .completed
            lastResponse = response.detached
            request = request?.skeleton
            var actions: [TransactionAction] = [.cancel(.trying), .send(.response(response)), .schedule(.h, after: timers.transactionTimeout)]
            if !reliable { actions.append(.schedule(.g, after: retransmitInterval)) }
            return actions
        case (.accepted, 200...299):
            return [.send(.response(response))]
        default:
            return []
        }
    }

    /// A retransmitted INVITE, or the ACK.
    public mutating func receive(_ request: SIPRequest) -> [TransactionAction] {
        if request.method == "ACK" {
            switch state {
            case .completed:
                state = .confirmed
                lastResponse = nil
                self.request = nil
                return [.cancel(.g), .cancel(.h), .schedule(.i, after: reliable ? .zero : timers.t4)]
            case .accepted where awaitsAck:
                awaitsAck = false
                lastResponse = nil
                self.request = nil
                return [.cancel(.retransmit2xx), .deliver(.request(request))]
            default:
                return []
            }
        }
        switch state {
        case .proceeding, .completed:
            return lastResponse.map { [.send(.response($0))] } ?? []
        default:
            return []
        }
    }

    public mutating func fire(_ timer: TransactionTimer) -> [TransactionAction] {
        switch (state, timer) {
        case (.proceeding, .trying):
            guard let request else { return [] }
            let trying = request.response(status: 100)
            lastResponse = trying
            return [.send(.response(trying))]
        case (.completed, .g):
            retransmitInterval = min(retransmitInterval + retransmitInterval, timers.t2)
            return (lastResponse.map { [.send(.response($0))] } ?? []) + [.schedule(.g, after: retransmitInterval)]
        case (.accepted, .retransmit2xx) where awaitsAck:
            retransmitInterval = min(retransmitInterval + retransmitInterval, timers.t2)
            return (lastResponse.map { [.send(.response($0))] } ?? []) + [.schedule(.retransmit2xx, after: retransmitInterval)]
        case (.completed, .h):
            state = .terminated
            return [.cancel(.g), .timedOut, .terminated]
        case (.confirmed, .i):
            state = .terminated
            return [.terminated]
        case (.accepted, .l):
            state = .terminated
            return [.cancel(.retransmit2xx)] + (awaitsAck ? [.timedOut] : []) + [.terminated]
        default:
            return []
        }
    }

    public mutating func transportFailed() -> [TransactionAction] {
        guard state != .terminated else { return [] }
        state = .terminated
        return [.cancel(.trying), .cancel(.g), .cancel(.h), .cancel(.retransmit2xx), .transportFailed, .terminated]
    }
}
