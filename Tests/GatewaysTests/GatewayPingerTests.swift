import Gateways
import Testing

/// The ping rules of behaviour spec §2.2 under a fake clock.
struct GatewayPingerTests {
    /// Pings at each tick and answers with `codes`, in order; returns the status after each.
    private func run(_ pinger: inout GatewayPinger, codes: [Int]) -> [GatewayStatus] {
        var now = pinger.nextPing
        return codes.map { code in
            let actions = pinger.tick(now: now, mayPing: true)
            #expect(actions == [.sendPing])
            _ = pinger.answered(code: code, phrase: "x", now: now + .milliseconds(20))
            now = pinger.nextPing
            return pinger.status
        }
    }

    private func pinger(min: Int, max: Int, status: GatewayStatus = .up) -> GatewayPinger {
        GatewayPinger(name: "gw1", interval: .seconds(25), minimum: min, maximum: max, status: status, now: .zero)
    }

    @Test func firstPingComesOneIntervalAfterStartAndOnlyOneIsOutstanding() {
        var gateway = pinger(min: 1, max: 1)
        #expect(gateway.tick(now: .seconds(24), mayPing: true) == [.wake(at: .seconds(25))])
        #expect(gateway.tick(now: .seconds(25), mayPing: true) == [.sendPing])
        #expect(gateway.tick(now: .seconds(60), mayPing: true) != [.sendPing])
        _ = gateway.answered(code: 200, phrase: "OK", now: .seconds(61))
        #expect(gateway.nextPing == .seconds(86))
        #expect(gateway.tick(now: .seconds(86), mayPing: false) != [.sendPing])
    }

    @Test func defaultsOneOneAFailureIsDownASuccessIsUp() {
        var gateway = pinger(min: 1, max: 1)
        #expect(run(&gateway, codes: [200, 503, 503, 200, 408, 200]) == [.up, .down, .down, .up, .down, .up])
    }

    @Test func theFirstFailureFlipsAnInitiallyUpGatewayDown() {
        var gateway = pinger(min: 1, max: 1)
        var now = gateway.nextPing
        _ = gateway.tick(now: now, mayPing: true)
        now += .milliseconds(5)
        let actions = gateway.answered(code: 503, phrase: "Service Unavailable", now: now)
        #expect(actions.contains(.log("Ping failed gw1 with code 503 - count 1/0/1, state DOWN", warning: true)))
        #expect(actions.contains(.statusChanged(.down, code: 503, phrase: "Service Unavailable")))
    }

    @Test func minTwoMaxThree() {
        // From DOWN, two successes bring it up; from a saturated count of 3, two failures
        // (max - min + 1) bring it down.
        var gateway = pinger(min: 2, max: 3, status: .down)
        #expect(run(&gateway, codes: [200, 200, 200, 200, 503, 503, 503, 200, 200]) ==
            [.down, .up, .up, .up, .up, .down, .down, .down, .up])
        #expect(gateway.pingState == "2/2/3")
    }

    @Test func answersThatMeanAliveKeepItUp() {
        var gateway = pinger(min: 1, max: 1)
        #expect(run(&gateway, codes: [404, 486, 403, 405, 501, 599]).allSatisfy { $0 == .up })
    }

    @Test func answersThatMeanDeadBringItDown() {
        for code in [408, 503, 600, 603] {
            var gateway = pinger(min: 1, max: 1)
            #expect(run(&gateway, codes: [200, code]) == [.up, .down], "code \(code)")
        }
    }

    @Test func minAboveMaxNeverComesUp() {
        var gateway = pinger(min: 3, max: 2, status: .down)
        #expect(run(&gateway, codes: [200, 200, 200, 200]).allSatisfy { $0 == .down })
    }

    @Test func roundTripTimesAreKept() {
        var gateway = pinger(min: 1, max: 1)
        _ = gateway.tick(now: .seconds(25), mayPing: true)
        _ = gateway.answered(code: 200, phrase: "OK", now: .seconds(25) + .milliseconds(40))
        #expect(gateway.lastRoundTrip == .milliseconds(40))
        _ = gateway.tick(now: gateway.nextPing, mayPing: true)
        _ = gateway.answered(code: 200, phrase: "OK", now: gateway.nextPing + .milliseconds(80))
        #expect(gateway.lastRoundTrip == .milliseconds(80))
        #expect(gateway.smoothedRoundTrip == .milliseconds(45))
    }
}
