import Gateways
import Testing

struct GatewayRegistrationTests {
    private func registration() -> GatewayRegistration {
        GatewayRegistration(name: "gw1", username: "1000", password: "secret", registrarURI: "sip:127.0.0.1",
                            expires: 3600, retrySeconds: 30, now: .zero)
    }

    private func registers(_ actions: [GatewayRegistration.Action]) -> [GatewayRegistration.Action] {
        actions.filter { if case .sendRegister = $0 { true } else { false } }
    }

    @Test func successRegistersAndRefreshesBeforeExpiry() {
        var gateway = registration()
        #expect(!gateway.allowsPing)
        #expect(registers(gateway.tick(now: .zero)) == [.sendRegister(cseq: 1, authorization: nil)])
        #expect(gateway.state == .trying)
        let actions = gateway.answered(code: 200, phrase: "OK", challenge: nil, grantedExpires: 600, now: .seconds(1))
        #expect(actions.contains(.statusChanged(.up, code: 200, phrase: "OK")))
        #expect(gateway.state == .registered)
        #expect(gateway.allowsPing)
        #expect(registers(gateway.tick(now: .seconds(540))).isEmpty)
        #expect(registers(gateway.tick(now: .seconds(541))) == [.sendRegister(cseq: 2, authorization: nil)])
        // A refresh that succeeds does not announce UP again.
        let refreshed = gateway.answered(code: 200, phrase: "OK", challenge: nil, grantedExpires: 600, now: .seconds(542))
        #expect(!refreshed.contains { if case .statusChanged = $0 { true } else { false } })
    }

    @Test func challengeIsAnsweredOnceWithDigestCredentials() throws {
        var gateway = registration()
        _ = gateway.tick(now: .zero)
        let challenge = (header: "WWW-Authenticate", value: "Digest realm=\"127.0.0.1\", nonce=\"abc\", qop=\"auth\"")
        let actions = gateway.answered(code: 401, phrase: "Unauthorized", challenge: challenge, grantedExpires: nil, now: .seconds(1))
        guard case .sendRegister(let cseq, let authorization)? = actions.first else {
            Issue.record("no authenticated REGISTER")
            return
        }
        #expect(cseq == 2)
        #expect(authorization?.name == "Authorization")
        #expect(authorization?.value.hasPrefix("Digest username=\"1000\", realm=\"127.0.0.1\", nonce=\"abc\", uri=\"sip:127.0.0.1\"") == true)
        #expect(authorization?.value.contains("nc=00000001") == true)
        // A second challenge in the same attempt means the credentials are wrong.
        let again = gateway.answered(code: 401, phrase: "Unauthorized", challenge: challenge, grantedExpires: nil, now: .seconds(2))
        #expect(again.contains(.statusChanged(.down, code: 401, phrase: "Unauthorized")))
        #expect(gateway.state == .failWait)
    }

    @Test func failuresRetryAfterRetrySecondsTimesTheFailures() {
        var gateway = registration()
        _ = gateway.tick(now: .zero)
        let failed = gateway.answered(code: 403, phrase: "Forbidden", challenge: nil, grantedExpires: nil, now: .seconds(1))
        #expect(failed.contains(.log("gw1 Failed Registration [403 Forbidden], setting retry to 30 seconds.", warning: true)))
        #expect(registers(gateway.tick(now: .seconds(30))).isEmpty)
        #expect(registers(gateway.tick(now: .seconds(31))).count == 1)
        _ = gateway.answered(code: 403, phrase: "Forbidden", challenge: nil, grantedExpires: nil, now: .seconds(32))
        #expect(gateway.nextAttempt == .seconds(92))
        _ = gateway.tick(now: .seconds(92))
        _ = gateway.answered(code: 503, phrase: "Service Unavailable", challenge: nil, grantedExpires: nil, now: .seconds(93))
        #expect(gateway.nextAttempt == .seconds(123))
        _ = gateway.tick(now: .seconds(123))
        _ = gateway.answered(code: 408, phrase: "Request Timeout", challenge: nil, grantedExpires: nil, now: .seconds(124))
        #expect(gateway.state == .timeout)
    }

    @Test func aFailedPingMakesARegisteredGatewayRegisterAgain() {
        var gateway = registration()
        _ = gateway.tick(now: .zero)
        _ = gateway.answered(code: 200, phrase: "OK", challenge: nil, grantedExpires: 3600, now: .seconds(1))
        gateway.pingFailed(now: .seconds(100))
        #expect(gateway.state == .failed)
        #expect(registers(gateway.tick(now: .seconds(100))).count == 1)
    }
}
