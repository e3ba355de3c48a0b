import Foundation
import TestSupport
import Testing

/// What an exposed service meets: scanners flooding it from one address.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct AbuseInteropTests {
    @Test func aFloodFromOneAddressDoesNotDisturbCallsFromAnother() throws {
        let gateway = try Sipp.Server(scenario: "gateway_uas")
        defer { gateway.stop() }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": """
                <include><gateway name="gw1"><param name="proxy" value="127.0.0.1:\(gateway.port)"/>
                <param name="register" value="false"/></gateway></include>
                """,
            "dialplan/default.xml": """
                <include><context name="default"><extension name="all"><condition field="destination_number" expression="^9980$">
                  <action application="bridge" data="sofia/gateway/gw1/1004"/>
                </condition></extension></context></include>
                """,
        ])
        defer { service.stop() }
        let flood = DispatchGroup()
        nonisolated(unsafe) var floodResult: Sipp.Result?
        DispatchQueue.global().async(group: flood) {
            floodResult = try? Sipp.run(scenario: "options_flood", port: service.sipPort, calls: 40_000,
                                        arguments: ["-r", "5000", "-l", "60000"], limit: 20, localIP: "127.0.0.2")
        }
        try service.waitFor("rate limit: dropping requests from 127.0.0.2", seconds: 10)
        let calls = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 100,
                                 arguments: ["-s", "9980", "-r", "50", "-l", "20"], limit: 30)
        flood.wait()
        #expect(calls.statistic("SuccessfulCall(C)") == 100, "\(calls)")
        #expect(calls.statistic("Retransmissions(C)") == 0, "\(calls)")
        #expect((floodResult?.statistic("OutgoingCall(C)") ?? 0) >= 20_000, "\(String(describing: floodResult))")
        #expect(!service.log.contains("dropping requests from 127.0.0.1"))
    }
}
