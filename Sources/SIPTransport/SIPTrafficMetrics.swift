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

    private static let methods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "UPDATE", "PRACK",
                                  "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH"]

    private final class Side: Sendable {
        let requests: [String: Counter]
        let otherRequests: Counter
        let responses = Mutex<[Int: Counter]>([:])
        let retransmissions: Counter
        let profile: String
        let direction: Direction

        init(profile: String, direction: Direction) {
            self.profile = profile
            self.direction = direction
            func counter(_ method: String) -> Counter {
                Counter(label: "sip_requests_total", dimensions: [("profile", profile), ("direction", direction.rawValue), ("method", method)])
            }
            requests = Dictionary(uniqueKeysWithValues: SIPTrafficMetrics.methods.map { ($0, counter($0)) })
            otherRequests = counter("other")
            retransmissions = Counter(label: "sip_retransmissions_total", dimensions: [("profile", profile), ("direction", direction.rawValue)])
        }

        func count(_ message: SIPMessage) {
            switch message {
            case .request(let request):
                (requests[request.method] ?? otherRequests).increment()
            case .response(let response):
                let status = (100...699).contains(response.status) ? response.status : 0
                let counter = responses.withLock { counters in
                    if let counter = counters[status] { return counter }
                    let counter = Counter(label: "sip_responses_total", dimensions: [
                        ("profile", profile), ("direction", direction.rawValue), ("status", String(status)),
                    ])
                    counters[status] = counter
                    return counter
                }
                counter.increment()
            }
        }
    }

    private let received: Side
    private let sent: Side

    init(profile: String) {
        received = Side(profile: profile, direction: .received)
        sent = Side(profile: profile, direction: .sent)
    }

    func count(_ message: SIPMessage, _ direction: Direction) {
        (direction == .received ? received : sent).count(message)
    }

    func countRetransmission(_ direction: Direction) {
        (direction == .received ? received : sent).retransmissions.increment()
    }
}
