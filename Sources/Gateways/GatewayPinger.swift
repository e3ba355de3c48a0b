/// One gateway's OPTIONS ping rules (behaviour spec §2.2), as a value type driven by the clock
/// it is given: the first ping `ping` seconds after start, one outstanding at a time, the next
/// `ping` seconds after the answer; 200-599 except 408 and 503 is alive; a counter between 0 and
/// ping-max decides UP (reaching ping-min) and DOWN (falling below it).
public struct GatewayPinger: Sendable {
    public enum Action: Hashable, Sendable {
        case sendPing
        /// Check again at this time.
        case wake(at: Duration)
        case statusChanged(GatewayStatus, code: Int, phrase: String)
        /// A log line in FreeSWITCH's words.
        case log(String, warning: Bool)
    }

    public let name: String
    public let interval: Duration
    public let minimum: Int
    public let maximum: Int
    public private(set) var count = 0
    public private(set) var status: GatewayStatus
    public private(set) var outstanding = false
    public private(set) var nextPing: Duration
    public private(set) var lastRoundTrip: Duration?
    public private(set) var smoothedRoundTrip: Duration?
    private var sentAt: Duration = .zero

    /// `status` is the gateway's status at start: UP for `register=false`.
    public init(name: String, interval: Duration, minimum: Int, maximum: Int, status: GatewayStatus, now: Duration) {
        self.name = name
        self.interval = interval
        self.minimum = minimum
        self.maximum = maximum
        self.status = status
        nextPing = now + interval
    }

    /// The registration layer sets the status too (a REGISTER success brings it UP).
    public mutating func setStatus(_ status: GatewayStatus) {
        self.status = status
    }

    /// Time passed; `mayPing` is false while the registration state forbids pings.
    public mutating func tick(now: Duration, mayPing: Bool) -> [Action] {
        guard !outstanding, mayPing, now >= nextPing else { return [.wake(at: max(nextPing, now + .seconds(1)))] }
        outstanding = true
        sentAt = now
        return [.sendPing]
    }

    /// The ping's final response, or 408 when its transaction timed out, 503 on a transport error.
    public mutating func answered(code: Int, phrase: String, now: Duration) -> [Action] {
        guard outstanding else { return [] }
        outstanding = false
        let roundTrip = now - sentAt
        lastRoundTrip = roundTrip
        smoothedRoundTrip = smoothedRoundTrip.map { $0 * 0.875 + roundTrip * 0.125 } ?? roundTrip
        nextPing = now + interval
        var actions: [Action] = []
        if (200...599).contains(code) && code != 408 && code != 503 {
            if count < maximum {
                count += 1
                if count >= minimum && status != .up {
                    status = .up
                    actions.append(.log("\(name) Ping succeeded \(code) \(phrase)", warning: false))
                    actions.append(.statusChanged(.up, code: code, phrase: phrase))
                }
            }
        } else {
            if count > 0 { count -= 1 }
            var changed = false
            if count < minimum && status != .down {
                status = .down
                changed = true
            }
            actions.append(.log("Ping failed \(name) with code \(code) - count \(minimum)/\(count)/\(maximum), state \(status.rawValue)", warning: true))
            if changed { actions.append(.statusChanged(.down, code: code, phrase: phrase)) }
        }
        actions.append(.wake(at: nextPing))
        return actions
    }

    /// `PingState` of `sofia status gateway`: min/count/max.
    public var pingState: String { "\(minimum)/\(count)/\(maximum)" }
}
