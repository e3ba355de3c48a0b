import Metrics
import SIPMessage
import Synchronization

/// Counters of SIP messages in and out by method and status, and of retransmissions, made once
/// so the per-message cost is an atomic add.
final class SIPTrafficMetrics: Sendable {
    enum Direction: String {
        case received = "in"
        case sent = "out"
    }

    /// The commonest first: a method is found by comparing it with each in turn, which for the
    /// few of a call costs less than hashing it.
    private static let methods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "UPDATE", "PRACK",
                                  "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH"]

    private final class Side: Sendable {
        /// In the order of `methods`.
        let requests: [Counter]
        let otherRequests: Counter
        /// By status from 100 to 699 (0 for anything else), each made when first counted:
        /// read without a lock, as every response is counted.
        let responses = InlineArray<601, SetOnceReference<Counter>> { _ in SetOnceReference() }
        let retransmissions: Counter
        let profile: String
        let direction: Direction

        init(profile: String, direction: Direction) {
            self.profile = profile
            self.direction = direction
            func counter(_ method: String) -> Counter {
                Counter(label: "sip_requests_total", dimensions: [("profile", profile), ("direction", direction.rawValue), ("method", method)])
            }
            requests = SIPTrafficMetrics.methods.map(counter)
            otherRequests = counter("other")
            retransmissions = Counter(label: "sip_retransmissions_total", dimensions: [("profile", profile), ("direction", direction.rawValue)])
        }

        func count(method: String) {
            (SIPTrafficMetrics.methods.firstIndex(of: method).map { requests[$0] } ?? otherRequests).increment()
        }

        func count(status: Int) {
            let status = (100...699).contains(status) ? status : 0
            let slot = status == 0 ? 600 : status - 100
            if let counter = responses[slot].load() {
                counter.increment()
                return
            }
            responses[slot].storeIfNil(Counter(label: "sip_responses_total", dimensions: [
                ("profile", profile), ("direction", direction.rawValue), ("status", String(status)),
            ])).increment()
        }
    }

    private let received: Side
    private let sent: Side

    init(profile: String) {
        received = Side(profile: profile, direction: .received)
        sent = Side(profile: profile, direction: .sent)
    }

    func count(_ message: SIPMessage, _ direction: Direction) {
        switch message {
        case .request(let request): count(request, direction)
        case .response(let response): count(response, direction)
        }
    }

    func count(_ request: SIPRequest, _ direction: Direction) {
        (direction == .received ? received : sent).count(method: request.method)
    }

    func count(_ response: SIPResponse, _ direction: Direction) {
        (direction == .received ? received : sent).count(status: response.status)
    }

    func countRetransmission(_ direction: Direction) {
        (direction == .received ? received : sent).retransmissions.increment()
    }
}
