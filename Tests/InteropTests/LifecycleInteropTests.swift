import Foundation
import TestSupport
import Testing

/// Reloads under load and graceful shutdown, with sipp callers and gateways on 127.0.0.1.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct LifecycleInteropTests {
    private func lists(_ weights: (Int, Int)) -> String {
        """
        <configuration name="distributor.conf"><lists>
          <list name="2gw"><node name="gw1" weight="\(weights.0)"/><node name="gw2" weight="\(weights.1)"/></list>
        </lists></configuration>
        """
    }

    private func service(gw1: Int, gw2: Int, arguments: [String] = []) throws -> ServiceProcess {
        func gateway(_ name: String, _ port: Int) -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/></gateway></include>"
        }
        return try ServiceProcess(files: [
            "conf/autoload_configs/distributor.conf.xml": lists((1, 1)),
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2),
            "dialplan/default.xml": """
                <include><context name="default"><extension name="x"><condition field="destination_number" expression="^9980$">
                  <action application="set" data="continue_on_fail=true"/>
                  <action application="bridge" data="sofia/gateway/${distributor(2gw)}/1004" loop="2"/>
                </condition></extension></context></include>
                """,
        ], arguments: arguments)
    }

    @Test func reloadsUnderLoadChangeRoutingForNewCallsWithNoFailedCall() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas")
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try service(gw1: gw1.port, gw2: gw2.port)
        defer { service.stop() }
        let file = service.tree.path("conf/autoload_configs/distributor.conf.xml")
        let load = Thread {
            Thread.sleep(forTimeInterval: 2)
            guard let client = try? ESLTestClient.authenticated(port: service.eslPort) else { return }
            try? "<configuration name=\"distributor.conf\">\n<lists>\n".write(toFile: file, atomically: true, encoding: .utf8)
            let broken = client.api("reloadxml")
            try? self.lists((0, 1)).replacingOccurrences(of: "weight=\"0\"", with: "weight=\"-1\"")
                .write(toFile: file, atomically: true, encoding: .utf8)
            let reloaded = client.api("reloadxml") + client.api("distributor_ctl reload")
            try? "\(broken)|\(reloaded)".write(toFile: service.tree.path("replies"), atomically: true, encoding: .utf8)
        }
        load.start()
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 120, arguments: ["-s", "9980", "-r", "30", "-l", "60"], limit: 60)
        #expect(result.statistic("SuccessfulCall(C)") == 120, "\(result)")
        #expect(result.statistic("FailedCall(C)") == 0, "\(result)")
        let replies = try String(contentsOfFile: service.tree.path("replies"), encoding: .utf8)
        #expect(replies.hasPrefix("-ERR [\(file):3: malformed XML"), "\(replies)")
        #expect(replies.hasSuffix("|+OK [Success]\n+OK reloaded.\n"), "\(replies)")
        // After the reload the list holds gw2 only (gw1's weight is now invalid).
        let answered = service.log.components(separatedBy: "answered by ").dropFirst().map { String($0.prefix(3)) }
        #expect(answered.count == 120)
        #expect(answered.suffix(20).allSatisfy { $0 == "gw2" })
        #expect(answered.prefix(20).contains("gw1"))
    }

    @Test func oneEventLoopThreadCarriesCallsOverBothGateways() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas")
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try service(gw1: gw1.port, gw2: gw2.port, arguments: ["--threads", "1"])
        defer { service.stop() }
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 40, arguments: ["-s", "9980", "-r", "40", "-l", "40"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 40, "\(result)")
        let answered = service.log.components(separatedBy: "answered by ").dropFirst().map { String($0.prefix(3)) }
        #expect(answered.filter { $0 == "gw1" }.count == 20)
        #expect(answered.filter { $0 == "gw2" }.count == 20)
    }

    @Test func zeroThreadsIsRefusedWithTheReason() throws {
        #expect { try service(gw1: 9, gw2: 9, arguments: ["--threads", "0"]) } throws: { error in
            "\(error)".contains("--threads must be at least 1.")
        }
    }

    @Test func sigtermEndsCallsInProgressCleanlyAndExitsZero() throws {
        // Each gateway takes 3 of the 6 calls and exits once their BYEs came.
        let gw1 = try Sipp.Server(scenario: "gateway_uas", calls: 3)
        let gw2 = try Sipp.Server(scenario: "gateway_uas", calls: 3)
        let service = try service(gw1: gw1.port, gw2: gw2.port, arguments: ["--shutdown-grace", "1"])
        defer { service.stop() }
        let caller = Thread {
            let result = try? Sipp.run(scenario: "uac_wait_bye", port: service.sipPort, calls: 6, arguments: ["-s", "9980", "-r", "20", "-l", "10"], limit: 30)
            try? "\(result?.statistic("SuccessfulCall(C)") ?? -1)".write(toFile: service.tree.path("caller"), atomically: true, encoding: .utf8)
        }
        caller.start()
        let deadline = Date().addingTimeInterval(10)
        while service.log.components(separatedBy: "answered by").count < 7 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        service.signal(SIGTERM)
        #expect(service.waitForExit(seconds: 15) == 0, "\(service.log)")
        let callerDeadline = Date().addingTimeInterval(20)
        while (try? String(contentsOfFile: service.tree.path("caller"), encoding: .utf8)) == nil && Date() < callerDeadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect((try? String(contentsOfFile: service.tree.path("caller"), encoding: .utf8)) == "6", "\(service.log)")
        #expect(service.log.contains("ending 6 call(s)"))
        #expect(gw1.waitForExit(seconds: 5) == 0)
        #expect(gw2.waitForExit(seconds: 5) == 0)
    }

    @Test func elegantShutdownRefusesNewCalls() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas")
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try service(gw1: gw1.port, gw2: gw2.port, arguments: ["--shutdown-grace", "5"])
        defer { service.stop() }
        let hold = Thread {
            _ = try? Sipp.run(scenario: "uac_wait_bye", port: service.sipPort, calls: 1, arguments: ["-s", "9980"], limit: 20)
        }
        hold.start()
        try service.waitFor("answered by", seconds: 10)
        let client = try ESLTestClient.authenticated(port: service.eslPort)
        #expect(client.api("fsctl shutdown elegant") == "+OK\n")
        Thread.sleep(forTimeInterval: 0.3)
        let refused = try Sipp.run(scenario: Sipp.customized("uac_call_rejected", ["status": "503"]), port: service.sipPort, calls: 1,
                                   arguments: ["-s", "9980"], limit: 10)
        #expect(refused.statistic("SuccessfulCall(C)") == 1, "\(refused)")
        #expect(service.waitForExit(seconds: 15) == 0)
    }
}
