import Foundation
import TestSupport
import Testing

/// Gateways that die, hang, lose packets and flap, with calls going through: every call ends
/// cleanly on both legs, and nothing is left behind.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct FaultInteropTests {
    private func gateway(_ name: String, _ port: Int, _ extra: String = "") -> String {
        "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/>\(extra)</gateway></include>"
    }

    private func extensions(_ body: String) -> String {
        "<include><context name=\"default\"><extension name=\"x\"><condition field=\"destination_number\" expression=\"^9980$\">\(body)</condition></extension></context></include>"
    }

    private func expectNoCallLeft(_ service: ServiceProcess) throws {
        try service.waitFor("0 call(s) in progress", seconds: 10)
        #expect(try ESLTestClient.authenticated(port: service.eslPort).api("show calls count") == "0 total.\n")
    }

    @Test func gatewayKilledMidCallEndsTheCallerLegAfterTheRelayedRequestTimesOut() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas")
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1.port),
            "dialplan/default.xml": extensions("<action application=\"bridge\" data=\"sofia/gateway/gw1/1004\"/>"),
        ], profileSettings: "<param name=\"timer-T1\" value=\"50\"/>")
        defer { service.stop() }
        let caller = DispatchGroup()
        nonisolated(unsafe) var result: Sipp.Result?
        DispatchQueue.global().async(group: caller) {
            result = try? Sipp.run(scenario: "uac_info_dead_gateway", port: service.sipPort, calls: 1, arguments: ["-s", "9980"], limit: 30)
        }
        try service.waitFor("answered by gw1", seconds: 10)
        gw1.stop()
        #expect(caller.wait(timeout: .now() + 40) == .success)
        // The INFO reached no one: 408 to the caller, then BYE on both legs.
        #expect(result?.statistic("SuccessfulCall(C)") == 1, "\(String(describing: result))\n\(service.log)")
        try expectNoCallLeft(service)
    }

    @Test(arguments: [
        "<action application=\"bridge\" data=\"[leg_timeout=2]sofia/gateway/gw1/1004|sofia/gateway/gw2/1004\"/>",
        // A timeout of the whole group moves on only when asked, as in FreeSWITCH.
        "<action application=\"set\" data=\"call_timeout=2\"/><action application=\"bridge\" data=\"{originate_continue_on_timeout=true}sofia/gateway/gw1/1004|sofia/gateway/gw2/1004\"/>",
    ])
    func gatewayRingingForeverIsCancelledAtTheTimeoutAndTheNextOneAnswers(dialplan: String) throws {
        let ringing = try Sipp.Server(scenario: "gateway_ring", calls: 1)
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        defer { ringing.stop(); gw2.stop() }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", ringing.port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2.port),
            "dialplan/default.xml": extensions(dialplan),
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
        defer { service.stop() }
        let started = Date()
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 1, arguments: ["-s", "9980"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)\n\(service.log)")
        #expect(Date().timeIntervalSince(started) >= 2)
        #expect(service.log.contains("answered by gw2"))
        // The ringing gateway got its CANCEL and finished its one call cleanly.
        #expect(ringing.waitForExit(seconds: 10) == 0)
        try expectNoCallLeft(service)
    }

    /// A call to gw1 and gw2 rung at once (`,`), with gw1 playing `scenario` for one call and gw2
    /// answering: gw2 is bridged, gw1's sipp ends its call cleanly (exit 0), and nothing is left.
    private func ringAtOnceAndExpectTheSecondToWin(gw1 scenario: String) throws {
        let losing = try Sipp.Server(scenario: scenario, calls: 1)
        let answering = try Sipp.Server(scenario: "gateway_uas")
        defer { losing.stop(); answering.stop() }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", losing.port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", answering.port),
            "dialplan/default.xml": extensions("<action application=\"bridge\" data=\"sofia/gateway/gw1/1004,sofia/gateway/gw2/1004\"/>"),
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
        defer { service.stop() }
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 1, arguments: ["-s", "9980"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)\n\(service.log)")
        #expect(service.log.contains("answered by gw2"))
        #expect(losing.waitForExit(seconds: 10) == 0, "\(service.log)")
        try expectNoCallLeft(service)
    }

    /// Legs rung at once: the one that answers is bridged, and the one still ringing gets its
    /// CANCEL (`gateway_ring` exits 0 only after the CANCEL and the ACK of its 487).
    @Test func legsRungAtOnceTheAnswerWinsAndTheRingingOneIsCancelled() throws {
        try ringAtOnceAndExpectTheSecondToWin(gw1: "gateway_ring")
    }

    /// Legs rung at once, and the losing gateway's 200 crosses our CANCEL: that late answer is
    /// acknowledged and hung up at once (RFC 3261 §15), so the gateway is not left holding a
    /// call no one will ever end (`gateway_late_answer` exits 0 only after its ACK and BYE).
    @Test func anAnswerThatCrossesTheCancelIsAcknowledgedAndHungUp() throws {
        try ringAtOnceAndExpectTheSecondToWin(gw1: "gateway_late_answer")
    }

    /// A `transfer` to another extension and context: the call is bridged from there.
    @Test func aTransferredCallIsBridgedFromWhereItWasSent() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas")
        defer { gw1.stop() }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1.port),
            "dialplan/default.xml": extensions("<action application=\"transfer\" data=\"5000 XML routing\"/>"),
            "dialplan/routing.xml": """
                <include><context name="routing"><extension name="to gw1"><condition field="destination_number" expression="^5000$">
                  <action application="bridge" data="sofia/gateway/gw1/1004"/></condition></extension></context></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
        defer { service.stop() }
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 1, arguments: ["-s", "9980"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)\n\(service.log)")
        #expect(service.log.contains("answered by gw1"))
        try expectNoCallLeft(service)
    }

    @Test func tenPercentLossOnEveryLegStillCompletesEveryCall() throws {
        let loss = ["-lost", "10"]
        let gw1 = try Sipp.Server(scenario: "gateway_uas", limit: 300, arguments: loss)
        let gw2 = try Sipp.Server(scenario: "gateway_uas", limit: 300, arguments: loss)
        defer { gw1.stop(); gw2.stop() }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1.port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2.port),
            "dialplan/default.xml": "<include><context name=\"default\">\(BridgeInteropTests.seed)</context></include>",
        ])
        // The default T1 (500 ms), as sipp's: a shorter one would forget a transaction (Timer J,
        // 64 x T1) while sipp still retransmits into it after repeated losses.
        defer { service.stop() }
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 2000,
                                  arguments: ["-s", "9980", "-r", "100", "-l", "1000"] + loss, limit: 240, receiveTimeout: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 2000, "\(result)")
        #expect(result.statistic("FailedCall(C)") == 0)
        print("10% loss, 2,000 calls: successful \(result.statistic("SuccessfulCall(C)") ?? -1), failed \(result.statistic("FailedCall(C)") ?? -1), retransmissions \(result.statistic("Retransmissions(C)") ?? -1)")
        try expectNoCallLeft(service)
    }

    @Test func flappingGatewayGetsNoCallWhileDownAndNoCallFailsBecauseOfIt() throws {
        let gw2 = try Sipp.Server(scenario: "gateway_uas", limit: 200)
        defer { gw2.stop() }
        let sipPort = try FreePort.udpAndTCP()
        let flapping = try FlappingGateway(replyPort: sipPort)
        defer { flapping.stop() }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", flapping.port, "<param name=\"ping\" value=\"5\"/>"),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2.port),
            "dialplan/default.xml": """
                <include><context name="default"><extension name="flap"><condition field="destination_number" expression="^9980$">
                  <action application="set" data="continue_on_fail=true"/>
                  <action application="bridge" data="sofia/gateway/${expand(distributor 2gw ${sofia(profile external gwlist down)})}/1004" loop="2"/>
                </condition></extension></context></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>", sipPort: sipPort)
        defer { service.stop() }
        // 30 s of calls at 20/s while gw1 goes down and up every 7 s.
        let caller = DispatchGroup()
        nonisolated(unsafe) var result: Sipp.Result?
        DispatchQueue.global().async(group: caller) {
            result = try? Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 600, arguments: ["-s", "9980", "-r", "20", "-l", "100"], limit: 90)
        }
        for phase in 1...4 {
            Thread.sleep(forTimeInterval: 7)
            flapping.up = phase % 2 == 0
        }
        #expect(caller.wait(timeout: .now() + 90) == .success)
        #expect(result?.statistic("SuccessfulCall(C)") == 600, "\(String(describing: result))")
        #expect(result?.statistic("FailedCall(C)") == 0)
        // Walk the log in order: while the service holds gw1 DOWN, no INVITE goes to it.
        var down = false, sentWhileDown = 0, transitions = 0
        for line in service.log.split(separator: "\n") {
            if line.contains("Ping failed gw1") && line.contains("state DOWN") { down = true; transitions += 1 }
            if line.contains("gw1 Ping succeeded") { down = false; transitions += 1 }
            if down && line.hasSuffix("via gw1") { sentWhileDown += 1 }
        }
        #expect(transitions >= 2, "gw1 should have gone down and come back:\n\(service.log)")
        #expect(sentWhileDown == 0)
        #expect(flapping.invites.all > 0)
        print("flapping gateway: \(flapping.invites.all) INVITEs to gw1, \(flapping.invites.whileDown) refused before the service saw it down, \(transitions) state changes")
        try expectNoCallLeft(service)
    }
}
