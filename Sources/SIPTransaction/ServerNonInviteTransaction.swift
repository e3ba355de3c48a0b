import SIPMessage

/// The non-INVITE server transaction (RFC 3261 §17.2.2).
public struct ServerNonInviteTransaction: Sendable {
    public enum State: Hashable, Sendable { case trying, proceeding, completed, terminated }

    public private(set) var state: State = .trying
    /// Until a final response is sent: then the transaction only answers retransmissions.
    public private(set) var request: SIPRequest?
    private let timers: TransactionTimers
    private let reliable: Bool
    private var lastResponse: SIPResponse?

    public init(request: SIPRequest, timers: TransactionTimers = TransactionTimers(), reliable: Bool) {
        self.request = request
        self.timers = timers
        self.reliable = reliable
    }

    public mutating func start() -> [TransactionAction] {
        request.map { [.deliver(.request($0))] } ?? []
    }

    public mutating func send(_ response: SIPResponse) -> [TransactionAction] {
        switch (state, response.status) {
        case (.trying, 100...199), (.proceeding, 100...199):
            state = .proceeding
            lastResponse = response
            return [.send(.response(response))]
        case (.trying, 200...699), (.proceeding, 200...699):
            state = .completed
            lastResponse = response.detached
            request = nil
            return [.send(.response(response)), .schedule(.j, after: reliable ? .zero : timers.transactionTimeout)]
        default:
            return []
        }
    }

    /// A retransmission of the request: answered from the transaction.
    public mutating func receive(_ request: SIPRequest) -> [TransactionAction] {
        switch state {
        case .proceeding, .completed:
            return lastResponse.map { [.send(.response($0))] } ?? []
        default:
            return []
        }
    }

    public mutating func fire(_ timer: TransactionTimer) -> [TransactionAction] {
        guard state == .completed, timer == .j else { return [] }
        state = .terminated
        return [.terminated]
    }

    public mutating func transportFailed() -> [TransactionAction] {
        guard state != .terminated else { return [] }
        state = .terminated
        return [.transportFailed, .terminated]
    }
}
