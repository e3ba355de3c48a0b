import SIPMessage
import SIPTransaction

/// Runs a transaction machine against a fake clock: it keeps the scheduled timers, fires them
/// in time order as time advances, and records what the machine sent and delivered, and when.
struct FakeClockDriver {
    private(set) var now: Duration = .zero
    private(set) var pending: [TransactionTimer: Duration] = [:]
    private(set) var sent: [(at: Duration, message: SIPMessage)] = []
    private(set) var delivered: [SIPMessage] = []
    private(set) var timedOut: Duration?
    private(set) var transportFailed = false
    private(set) var terminatedAt: Duration?

    mutating func apply(_ actions: [TransactionAction]) {
        for action in actions {
            switch action {
            case .send(let message): sent.append((now, message))
            case .deliver(let message): delivered.append(message)
            case .schedule(let timer, let after): pending[timer] = now + after
            case .cancel(let timer): pending[timer] = nil
            case .timedOut: timedOut = now
            case .transportFailed: transportFailed = true
            case .terminated: terminatedAt = now
            }
        }
    }

    /// Advances to `time`, firing due timers one by one through `fire`.
    mutating func advance(to time: Duration, fire: (TransactionTimer) -> [TransactionAction]) {
        while let (timer, due) = pending.min(by: { $0.value < $1.value }), due <= time {
            pending[timer] = nil
            now = due
            apply(fire(timer))
        }
        now = time
    }

    var sentTimes: [Double] {
        sent.map { Double($0.at.components.seconds) + Double($0.at.components.attoseconds) / 1e18 }
    }
}

enum Messages {
    static func request(_ method: String, branch: String = "z9hG4bK-test") -> SIPRequest {
        var headers = SIPHeaders()
        headers.add("Via", "SIP/2.0/UDP 127.0.0.1:5080;branch=\(branch)")
        headers.add("Max-Forwards", "70")
        headers.add("From", "<sip:a@127.0.0.1>;tag=from1")
        headers.add("To", "<sip:b@127.0.0.1>")
        headers.add("Call-ID", "call-1")
        headers.add("CSeq", "1 \(method)")
        headers.add("Route", "<sip:proxy.example;lr>")
        return SIPRequest(method: method, uri: try! SIPURI("sip:b@127.0.0.1:5091"), headers: headers)
    }

    static func response(_ status: Int, to request: SIPRequest) -> SIPResponse {
        request.response(status: status, toTag: "to1")
    }
}
