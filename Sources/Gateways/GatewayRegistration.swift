import SIPAuthentication

/// A `register=true` gateway's registration (behaviour spec §2.2), as a value type driven by
/// the clock it is given: REGISTER at start, answer one digest challenge per attempt, refresh
/// before expiry, and after a failure wait `retry-seconds` (times the failures in a row, except
/// after a 503) before trying again. The gateway is UP only while registered.
public struct GatewayRegistration: Sendable {
    public enum Action: Hashable, Sendable {
        /// Send a REGISTER with this CSeq and, after a challenge, this authorization header.
        case sendRegister(cseq: UInt32, authorization: AuthorizationHeader?)
        case wake(at: Duration)
        case statusChanged(GatewayStatus, code: Int, phrase: String)
        case log(String, warning: Bool)
    }

    public struct AuthorizationHeader: Hashable, Sendable {
        public let name: String
        public let value: String
    }

    public let name: String
    public let username: String
    public let password: String
    public let registrarURI: String
    public let expires: Int
    public let retrySeconds: Int
    public private(set) var state: RegistrationState = .unregistered
    public private(set) var failures = 0
    public private(set) var nextAttempt: Duration
    public private(set) var cseq: UInt32 = 0
    /// Seconds the registrar granted.
    public private(set) var granted: Int?
    private var challengeAnswered = false
    private var nonceCounts: [String: Int] = [:]

    public init(name: String, username: String, password: String, registrarURI: String, expires: Int, retrySeconds: Int, now: Duration) {
        self.name = name
        self.username = username
        self.password = password
        self.registrarURI = registrarURI
        self.expires = expires
        self.retrySeconds = retrySeconds
        nextAttempt = now
    }

    /// OPTIONS pings run only in these states.
    public var allowsPing: Bool { state == .registered || state == .noRegistration }

    public mutating func tick(now: Duration) -> [Action] {
        switch state {
        case .unregistered, .failWait, .registered, .failed, .expired, .timeout:
            guard now >= nextAttempt else { return [.wake(at: nextAttempt)] }
            if state == .registered { state = .expired }
            state = .trying
            challengeAnswered = false
            cseq += 1
            return [.sendRegister(cseq: cseq, authorization: nil), .wake(at: now + .seconds(40))]
        default:
            return [.wake(at: max(nextAttempt, now + .seconds(1)))]
        }
    }

    /// The REGISTER's final response (408 when its transaction timed out, 503 on transport error).
    /// `challenge` is the WWW-/Proxy-Authenticate of a 401/407; `grantedExpires` the Expires of a 200.
    public mutating func answered(code: Int, phrase: String, challenge: (header: String, value: String)?, grantedExpires: Int?, now: Duration) -> [Action] {
        guard state == .trying else { return [] }
        switch code {
        case 200...299:
            let wasUp = failures == 0 && granted != nil
            state = .registered
            failures = 0
            let seconds = max(1, grantedExpires ?? expires)
            granted = seconds
            nextAttempt = now + .seconds(seconds > 120 ? seconds - 60 : max(1, seconds / 2))
            var actions: [Action] = [.log("Registered \(name), expires in \(seconds) seconds", warning: false)]
            if !wasUp { actions.append(.statusChanged(.up, code: code, phrase: phrase)) }
            return actions + [.wake(at: nextAttempt)]
        case 401, 407:
            if !challengeAnswered, let challenge, let digest = DigestChallenge(challenge.value) {
                challengeAnswered = true
                let count = (nonceCounts[digest.nonce] ?? 0) + 1
                nonceCounts = [digest.nonce: count]
                cseq += 1
                let value = digest.authorization(method: "REGISTER", uri: registrarURI, username: username, password: password,
                                                 nonceCount: count, clientNonce: Self.clientNonce())
                let header = code == 401 ? "Authorization" : "Proxy-Authorization"
                return [.sendRegister(cseq: cseq, authorization: AuthorizationHeader(name: header, value: value))]
            }
            return fail(code: code, phrase: phrase, now: now)
        default:
            return fail(code: code, phrase: phrase, now: now)
        }
    }

    /// A ping failed on a registered gateway: register again now (FreeSWITCH's FAILED state).
    public mutating func pingFailed(now: Duration) {
        guard state == .registered else { return }
        state = .failed
        nextAttempt = now
    }

    private mutating func fail(code: Int, phrase: String, now: Duration) -> [Action] {
        failures += 1
        state = code == 408 ? .timeout : .failWait
        let delay = code == 503 ? retrySeconds : retrySeconds * failures
        nextAttempt = now + .seconds(delay)
        granted = nil
        return [
            .log("\(name) Failed Registration [\(code) \(phrase)], setting retry to \(delay) seconds.", warning: true),
            .statusChanged(.down, code: code, phrase: phrase),
            .wake(at: nextAttempt),
        ]
    }

    static func clientNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 16)
    }
}
