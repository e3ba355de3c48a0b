import SIPMessage

/// The INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026's Accepted state).
public struct ClientInviteTransaction: Sendable {
    public enum State: Hashable, Sendable { case calling, proceeding, completed, accepted, terminated }

    public private(set) var state: State = .calling
    /// The whole INVITE until a final response arrives; then its skeleton, from which the ACK
    /// of a non-2xx is built again; nothing after a 2xx, whose ACK is the TU's.
    public private(set) var request: SIPRequest?
    private let timers: TransactionTimers
    private let reliable: Bool
    private var retransmitInterval: Duration
    /// The To of the non-2xx final response, from which its ACK is built again for each
    /// retransmission of that response: a whole ACK would double the transaction's size.
    private var ackTo: String?
    /// Over UDP, the time since the INVITE was sent, as Timer A's firings count it: Timer B is
    /// scheduled once the next A would come at or after 64*T1.
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
        actions.append(reliable ? .schedule(.b, after: timers.transactionTimeout)
                                : timers.nextRetransmission(.a, after: retransmitInterval, elapsed: elapsed, orTimeout: .b))
        return actions
    }

    public mutating func receive(_ response: SIPResponse) -> [TransactionAction] {
        switch (state, response.status) {
        case (.calling, 100...199), (.proceeding, 100...199):
            let wasCalling = state == .calling
            state = .proceeding
            return (wasCalling ? [.cancel(.a), .cancel(.b)] : []) + [.deliver(.response(response))]
        case (.calling, 200...299), (.proceeding, 200...299):
            state = .accepted
            request = nil
            return [.cancel(.a), .cancel(.b), .deliver(.response(response)), .schedule(.m, after: timers.transactionTimeout)]
        case (.calling, 300...699), (.proceeding, 300...699):
            guard let invite = request else { return [] }
            state = .completed
            let ack = Self.ack(for: invite, response: response)
            ackTo = response.headers["To"]
            request = invite.skeleton
            return [.cancel(.a), .cancel(.b), .send(.request(ack)), .deliver(.response(response)),
                    .schedule(.d, after: reliable ? .zero : .seconds(32))]
        case (.completed, 300...699):
            return request.map { [.send(.request(Self.ack(for: $0, to: ackTo)))] } ?? []
        case (.accepted, 200...299):
            // Each 2xx retransmission goes to the TU, which sends the ACK again.
            return [.deliver(.response(response))]
        default:
            return []
        }
    }

    public mutating func fire(_ timer: TransactionTimer) -> [TransactionAction] {
        switch (state, timer) {
        case (.calling, .a):
            guard let request else { return [] }
            elapsed += retransmitInterval
            retransmitInterval = retransmitInterval + retransmitInterval
            return [.send(.request(request)), timers.nextRetransmission(.a, after: retransmitInterval, elapsed: elapsed, orTimeout: .b)]
        case (.calling, .b):
            state = .terminated
            return [.cancel(.a), .timedOut, .terminated]
        case (.completed, .d), (.accepted, .m):
            state = .terminated
            return [.terminated]
        default:
            return []
        }
    }

    public mutating func transportFailed() -> [TransactionAction] {
        guard state == .calling || state == .proceeding else { return [] }
        state = .terminated
        return [.cancel(.a), .cancel(.b), .transportFailed, .terminated]
    }

    /// The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same Request-URI, Call-ID,
    /// From, CSeq number and top Via as the INVITE; To from the response; the INVITE's Routes.
    public static func ack(for invite: SIPRequest, response: SIPResponse) -> SIPRequest {
        ack(for: invite, to: response.headers["To"])
    }

    private static func ack(for invite: SIPRequest, to: String?) -> SIPRequest {
        var headers = SIPHeaders()
        if let via = invite.headers.elements("Via").first { headers.add("Via", via) }
        headers.add("Max-Forwards", "70")
        if let from = invite.headers["From"] { headers.add("From", from) }
        if let to { headers.add("To", to) }
        if let callID = invite.headers["Call-ID"] { headers.add("Call-ID", callID) }
        headers.add("CSeq", "\(invite.cseq?.number ?? 1) ACK")
        for route in invite.headers.values("Route") { headers.add("Route", route) }
        return SIPRequest(method: "ACK", uri: invite.uri, headers: headers)
    }
}
