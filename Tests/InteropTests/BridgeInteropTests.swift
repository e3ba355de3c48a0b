import Foundation
import TestSupport
import Testing

/// Calls through `distributor serve`: sipp as the caller and as gateways, all on 127.0.0.1.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct BridgeInteropTests {
    /// gw1 and gw2 at the given ports, no pinging; list 2gw (weights w1, w2).
    private func service(gw1: Int, gw2: Int, weights: (Int, Int) = (1, 1), transport: String = "udp", dialplan: String) throws -> ServiceProcess {
        func gateway(_ name: String, _ port: Int) -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/><param name=\"register-transport\" value=\"\(transport)\"/></gateway></include>"
        }
        return try ServiceProcess(files: [
            "conf/autoload_configs/distributor.conf.xml": """
                <configuration name="distributor.conf"><lists>
                  <list name="2gw"><node name="gw1" weight="\(weights.0)"/><node name="gw2" weight="\(weights.1)"/></list>
                </lists></configuration>
                """,
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2),
            "dialplan/default.xml": "<include><context name=\"default\">\(dialplan)</context></include>",
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
    }

    static let seed = """
        <extension name="3-way gateway distributor">
          <condition field="destination_number" expression="9980$">
            <action application="set" data="continue_on_fail=true"/>
            <action application="set" data="hangup_after_bridge=true"/>
            <action application="bridge" data="sofia/gateway/${distributor(2gw)}/1004" loop="2"/>
          </condition>
        </extension>
        """

    /// Which gateway answered each call, in order, from the service's log.
    private func answeredBy(_ log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "answered by ") else { return nil }
            return String(line[range.upperBound...])
        }
    }

    private func call(_ service: ServiceProcess, calls: Int, scenario: String = "uac_call", transport: String = "udp") throws -> Sipp.Result {
        try Sipp.run(scenario: scenario, port: service.sipPort, calls: calls,
                     arguments: ["-s", "9980", "-r", "20", "-l", "1"] + Self.sippTransport(transport), limit: 60)
    }

    static func sippTransport(_ transport: String) -> [String] {
        transport == "tcp" ? ["-t", "t1"] : []
    }

    @Test(arguments: ["udp", "tcp"]) func seedScenarioAlternatesGateways(transport: String) throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas", arguments: Self.sippTransport(transport))
        let gw2 = try Sipp.Server(scenario: "gateway_uas", arguments: Self.sippTransport(transport))
        let service = try service(gw1: gw1.port, gw2: gw2.port, transport: transport, dialplan: Self.seed)
        defer { service.stop() }
        let result = try call(service, calls: 100, transport: transport)
        #expect(result.statistic("SuccessfulCall(C)") == 100, "\(result)")
        try service.waitFor("0 call(s) in progress", seconds: 5)
        let order = answeredBy(service.log)
        #expect(order == (0..<50).flatMap { _ in ["gw1", "gw2"] })
    }

    @Test func weightsOneAndNineFollowTheSpecSequence() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_uas")
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try service(gw1: gw1.port, gw2: gw2.port, weights: (1, 9), dialplan: Self.seed)
        defer { service.stop() }
        let result = try call(service, calls: 100)
        #expect(result.statistic("SuccessfulCall(C)") == 100, "\(result)")
        let cycle = ["gw1"] + Array(repeating: "gw2", count: 9)
        #expect(answeredBy(service.log) == (0..<10).flatMap { _ in cycle })
    }

    @Test(arguments: ["udp", "tcp"]) func failedGatewayIsRetriedOnTheNext(transport: String) throws {
        let gw1 = try Sipp.Server(scenario: Sipp.customized("gateway_reject", ["status": "503", "reason": "Service Unavailable"]),
                                  arguments: Self.sippTransport(transport))
        let gw2 = try Sipp.Server(scenario: "gateway_uas", arguments: Self.sippTransport(transport))
        let service = try service(gw1: gw1.port, gw2: gw2.port, transport: transport, dialplan: Self.seed)
        defer { service.stop() }
        let result = try call(service, calls: 10, transport: transport)
        #expect(result.statistic("SuccessfulCall(C)") == 10, "\(result)")
        #expect(answeredBy(service.log) == Array(repeating: "gw2", count: 10))
    }

    /// A BYE on the Call-ID of a leg that failed is not the bridged callee's: 481, and the call
    /// the next gateway answered goes on until the caller hangs up.
    @Test func byeFromAFailedLegDoesNotEndTheCall() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_reject_then_bye")
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try service(gw1: gw1.port, gw2: gw2.port, dialplan: Self.seed)
        defer { service.stop() }
        // Held for a second: the stray BYE comes 300 ms after the failed leg's ACK.
        let result = try Sipp.run(scenario: "bench_uac_hold", port: service.sipPort, calls: 1,
                                  arguments: ["-s", "9980", "-d", "1000"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)")
        #expect(answeredBy(service.log) == ["gw2"])
        try service.waitFor("hung up by the caller", seconds: 5)
        #expect(!service.log.contains("hung up by the callee"))
    }

    @Test(arguments: ["udp", "tcp"]) func bothGatewaysFailingGiveTheCallerTheirCode(transport: String) throws {
        let reject = try Sipp.customized("gateway_reject", ["status": "503", "reason": "Service Unavailable"])
        let gw1 = try Sipp.Server(scenario: reject, arguments: Self.sippTransport(transport))
        let gw2 = try Sipp.Server(scenario: reject, arguments: Self.sippTransport(transport))
        let service = try service(gw1: gw1.port, gw2: gw2.port, transport: transport, dialplan: Self.seed)
        defer { service.stop() }
        let result = try call(service, calls: 4, scenario: Sipp.customized("uac_call_rejected", ["status": "503"]), transport: transport)
        #expect(result.statistic("SuccessfulCall(C)") == 4, "\(result)")
    }

    @Test(arguments: ["udp", "tcp"]) func busyWithoutContinueOnFailReachesTheCaller(transport: String) throws {
        let gw1 = try Sipp.Server(scenario: Sipp.customized("gateway_reject", ["status": "486", "reason": "Busy Here"]), arguments: Self.sippTransport(transport))
        let gw2 = try Sipp.Server(scenario: "gateway_uas", arguments: Self.sippTransport(transport))
        let service = try service(gw1: gw1.port, gw2: gw2.port, transport: transport, dialplan: """
            <extension name="busy"><condition field="destination_number" expression="^9980$">
              <action application="bridge" data="sofia/gateway/gw1/1004"/>
              <action application="bridge" data="sofia/gateway/gw2/1004"/>
            </condition></extension>
            """)
        defer { service.stop() }
        let result = try call(service, calls: 3, scenario: Sipp.customized("uac_call_rejected", ["status": "486"]), transport: transport)
        #expect(result.statistic("SuccessfulCall(C)") == 3, "\(result)")
        #expect(answeredBy(service.log).isEmpty)
    }

    @Test func silentGatewayIsLeftAfterLegTimeout() throws {
        let silent = try UDPSocket()
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try service(gw1: silent.port, gw2: gw2.port, dialplan: """
            <extension name="timeout"><condition field="destination_number" expression="^9980$">
              <action application="set" data="continue_on_fail=true"/>
              <action application="bridge" data="[leg_timeout=2]sofia/gateway/gw1/1004|sofia/gateway/gw2/1004"/>
            </condition></extension>
            """)
        defer { service.stop() }
        let started = Date()
        let result = try call(service, calls: 1)
        #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)")
        #expect(Date().timeIntervalSince(started) >= 2)
        #expect(answeredBy(service.log) == ["gw2"])
        #expect(silent.drain(quietFor: 0.2).count >= 1)
    }
}

/// Mid-call and end-of-call paths, over UDP and TCP: every call ends on both legs and none is
/// left behind.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct CallPathInteropTests {
    private func service(gateway port: Int, transport: String) throws -> ServiceProcess {
        try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": """
                <include><gateway name="gw1"><param name="proxy" value="127.0.0.1:\(port)"/>
                <param name="register" value="false"/><param name="register-transport" value="\(transport)"/></gateway></include>
                """,
            "dialplan/default.xml": """
                <include><context name="default"><extension name="all"><condition field="destination_number" expression="^9980$">
                  <action application="bridge" data="sofia/gateway/gw1/1004"/>
                </condition></extension></context></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
    }

    private func run(caller: String, gateway: String, transport: String, calls: Int = 3) throws {
        let transportArguments = transport == "tcp" ? ["-t", "t1"] : []
        let gw = try Sipp.Server(scenario: gateway, arguments: transportArguments)
        defer { gw.stop() }
        let service = try service(gateway: gw.port, transport: transport)
        defer { service.stop() }
        let result = try Sipp.run(scenario: caller, port: service.sipPort, calls: calls,
                                  arguments: ["-s", "9980", "-r", "10", "-l", "1"] + transportArguments, limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == calls, "\(result)\n\(service.log)")
        try service.waitFor("0 call(s) in progress", seconds: 5)
        #expect(service.log.components(separatedBy: "ended; ").count - 1 == calls)
        #expect(try ESLTestClient.authenticated(port: service.eslPort).api("show calls count") == "0 total.\n")
    }

    @Test(arguments: ["udp", "tcp"]) func callerHangsUp(transport: String) throws {
        try run(caller: "uac_call", gateway: "gateway_uas", transport: transport)
    }

    @Test(arguments: ["udp", "tcp"]) func callerCancelsWhileRinging(transport: String) throws {
        try run(caller: "uac_cancel", gateway: "gateway_ring", transport: transport)
    }

    @Test(arguments: ["udp", "tcp"]) func gatewayHangsUp(transport: String) throws {
        try run(caller: "uac_wait_bye", gateway: "gateway_bye", transport: transport)
    }

    @Test(arguments: ["udp", "tcp"]) func reInviteIsRelayed(transport: String) throws {
        try run(caller: "uac_reinvite", gateway: "gateway_reinvite", transport: transport)
    }
}

/// A gateway that stops answering OPTIONS gets no more calls until it answers again.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct DeadGatewayInteropTests {
    @Test func downGatewayGetsNoCallsUntilItComesBack() throws {
        var gw1 = try Sipp.Server(scenario: "gateway_uas")
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        func gateway(_ name: String, _ port: Int) -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/><param name=\"ping\" value=\"5\"/></gateway></include>"
        }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1.port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2.port),
            "dialplan/default.xml": """
                <include><context name="default"><extension name="3-way gateway distributor">
                  <condition field="destination_number" expression="9980$">
                    <action application="set" data="continue_on_fail=true"/>
                    <action application="set" data="hangup_after_bridge=true"/>
                    <action application="bridge" data="sofia/gateway/${expand(distributor 2gw ${sofia(profile external gwlist down)})}/1004" loop="2"/>
                  </condition>
                </extension></context></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"50\"/>")
        defer { service.stop() }
        func calls(_ count: Int) throws -> [String] {
            let before = service.log.components(separatedBy: "answered by ").count
            let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: count, arguments: ["-s", "9980", "-r", "10", "-l", "1"], limit: 30)
            #expect(result.statistic("SuccessfulCall(C)") == count, "\(result)")
            return service.log.components(separatedBy: "answered by ").dropFirst(before).map { String($0.prefix(3)) }
        }
        #expect(try calls(4) == ["gw1", "gw2", "gw1", "gw2"])
        let port = gw1.port
        gw1.stop()
        try service.waitFor("Ping failed gw1 with code 408 - count 1/0/1, state DOWN", seconds: 15)
        let invitesBefore = service.log.components(separatedBy: "via gw1").count
        #expect(try calls(6) == Array(repeating: "gw2", count: 6))
        #expect(service.log.components(separatedBy: "via gw1").count == invitesBefore)
        gw1 = try Sipp.Server(scenario: "gateway_uas", port: port)
        defer { gw1.stop() }
        try service.waitFor("gw1 Ping succeeded", seconds: 15)
        #expect(try calls(4).contains("gw1"))
    }
}

/// What the B2BUA refuses, and the opt-ins beyond FreeSWITCH.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct GuardInteropTests {
    private func gateway(_ name: String, _ port: Int, _ extra: String = "") -> String {
        "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/>\(extra)</gateway></include>"
    }

    private let bridgeGW1 = """
        <include><context name="default"><extension name="x"><condition field="destination_number" expression="^9980$">
          <action application="bridge" data="sofia/gateway/gw1/1004"/>
        </condition></extension></context></include>
        """

    @Test func challengedInviteIsRetriedWithTheGatewayCredentials() throws {
        let gw1 = try Sipp.Server(scenario: "gateway_auth")
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1.port, "<param name=\"username\" value=\"1000\"/><param name=\"password\" value=\"secret\"/>"),
            "dialplan/default.xml": bridgeGW1,
        ])
        defer { service.stop() }
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 2, arguments: ["-s", "9980", "-r", "5", "-l", "1"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 2, "\(result)\n\(service.log)")
    }

    /// A carrier's call to the Contact its gateway registered (`gw+NAME`) runs in the gateway's
    /// context, to its extension, and counts in its CallsIN; one never answered also in FailedCallsIN.
    /// The gateway it is bridged to adds its outbound `sip_h_` variable as a header; the caller's
    /// own stay off with `sip_copy_custom_headers=false`.
    @Test func aCallThroughAGatewaysContactRunsInItsContextAndCountsAsItsCallIn() throws {
        let messages = NSTemporaryDirectory() + "target-" + UUID().uuidString + ".log"
        defer { try? FileManager.default.removeItem(atPath: messages) }
        let target = try Sipp.Server(scenario: "gateway_uas", arguments: ["-trace_msg", "-message_file", messages])
        let unused = try FreePort.udpAndTCP()
        func gateway(_ name: String, _ port: Int, _ extra: String = "") -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/>\(extra)</gateway></include>"
        }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/carrier.xml": gateway("carrier", unused, """
                <param name="context" value="from-carrier"/><param name="extension" value="5000"/>
                <variables><variable name="carrier_name" value="acme" direction="inbound"/></variables>
                """),
            "conf/sip_profiles/external/target.xml": gateway("target", target.port, """
                <variables><variable name="sip_h_X-Trunk" value="target" direction="outbound"/></variables>
                """),
            "conf/sip_profiles/external/carrier2.xml": gateway("carrier2", unused, "<param name=\"context\" value=\"from-carrier\"/>"),
            // The default context would bridge anything; the call must come through from-carrier.
            "dialplan/default.xml": """
                <include><context name="default"><extension name="any"><condition field="destination_number" expression=".">
                  <action application="respond" data="404"/></condition></extension></context></include>
                """,
            "dialplan/from-carrier.xml": """
                <include><context name="from-carrier">
                  <extension name="carrier DID"><condition field="destination_number" expression="^5000$"/>
                    <condition field="${sip_gateway}${carrier_name}" expression="^carrieracme$">
                      <action application="set" data="sip_h_X-Caller=kept"/>
                      <action application="set" data="sip_copy_custom_headers=false"/>
                      <action application="bridge" data="sofia/gateway/target/1004"/></condition></extension>
                  <extension name="anything else"><condition field="destination_number" expression=".">
                    <action application="respond" data="486"/></condition></extension>
                </context></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
        defer { service.stop() }
        let answered = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 1, arguments: ["-s", "gw+carrier"], limit: 30)
        #expect(answered.statistic("SuccessfulCall(C)") == 1, "\(answered)")
        try service.waitFor("0 call(s) in progress", seconds: 5)
        let client = try ESLTestClient.authenticated(port: service.eslPort)
        #expect(client.api("sofia status gateway carrier").contains("CallsIN \t1\n"))
        #expect(client.api("sofia status gateway carrier").contains("FailedCallsIN\t0\n"))
        #expect(client.api("sofia status gateway target").contains("CallsOUT\t1\n"))
        let sentToTarget = (try? String(contentsOfFile: messages, encoding: .utf8)) ?? ""
        #expect(sentToTarget.contains("X-Trunk: target\r\n"))
        // sip_copy_custom_headers=false keeps the caller's own sip_h_ variables off the leg.
        #expect(sentToTarget.contains("INVITE sip:") && !sentToTarget.contains("X-Caller"))
        let refused = try Sipp.run(scenario: Sipp.customized("uac_call_rejected", ["status": "404"]), port: service.sipPort, calls: 1,
                                   arguments: ["-s", "9980"], limit: 20)
        #expect(refused.statistic("SuccessfulCall(C)") == 1, "\(refused)")
        // A `gw=` parameter alone, to a gateway with no extension configured: the Request-URI
        // user (1234) stays the destination, which from-carrier answers 486.
        let viaParameter = try Sipp.customized("uac_call_rejected", ["status": "486", "remote_port": "\(service.sipPort);gw=carrier2"])
        let busy = try Sipp.run(scenario: viaParameter, port: service.sipPort, calls: 1, arguments: ["-s", "1234"], limit: 20)
        #expect(busy.statistic("SuccessfulCall(C)") == 1, "\(busy)")
        try service.waitFor("0 call(s) in progress", seconds: 5)
        #expect(client.api("sofia status gateway carrier").contains("CallsIN \t1\n"))
        #expect(client.api("sofia status gateway carrier2").contains("CallsIN \t1\n"))
        #expect(client.api("sofia status gateway carrier2").contains("FailedCallsIN\t1\n"))
    }

    /// What a carrier is shown as the caller, as sofia sends it: the display name in the From
    /// (whose user stays the gateway's own) and the number in a Remote-Party-ID. Here the leg's
    /// `origination_caller_id_number` beats the caller's `effective_caller_id_number`; through a
    /// gateway with `p:caller_id_number`, that wins, and `sip_cid_type=pid` sends
    /// P-Preferred-Identity instead.
    @Test func theGatewaySeesTheCallerIDTheDialplanChose() throws {
        func traced() throws -> (server: Sipp.Server, messages: String) {
            let messages = NSTemporaryDirectory() + "cid-" + UUID().uuidString + ".log"
            return (try Sipp.Server(scenario: "gateway_uas", arguments: ["-trace_msg", "-message_file", messages]), messages)
        }
        let (target, branded) = (try traced(), try traced())
        defer {
            target.server.stop()
            branded.server.stop()
            for file in [target.messages, branded.messages] { try? FileManager.default.removeItem(atPath: file) }
        }
        func gateway(_ name: String, _ port: Int, _ extra: String = "") -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/>\(extra)</gateway></include>"
        }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/target.xml": gateway("target", target.server.port),
            "conf/sip_profiles/external/branded.xml": gateway("branded", branded.server.port, """
                <variables><variable name="p:caller_id_number" value="+15550100" direction="outbound"/></variables>
                """),
            "dialplan/default.xml": """
                <include><context name="default">
                  <extension name="plain"><condition field="destination_number" expression="^9981$">
                    <action application="set" data="effective_caller_id_name=Front Desk"/>
                    <action application="set" data="effective_caller_id_number=2000"/>
                    <action application="bridge" data="{origination_caller_id_number=+4930123}sofia/gateway/target/1004"/>
                  </condition></extension>
                  <extension name="branded"><condition field="destination_number" expression="^9982$">
                    <action application="set" data="effective_caller_id_number=2000"/>
                    <action application="bridge" data="{sip_cid_type=pid}sofia/gateway/branded/1004"/>
                  </condition></extension>
                </context></include>
                """,
        ], profileSettings: "<param name=\"timer-T1\" value=\"100\"/>")
        defer { service.stop() }
        for number in ["9981", "9982"] {
            let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 1, arguments: ["-s", number], limit: 30)
            #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)\n\(service.log)")
        }
        let plain = (try? String(contentsOfFile: target.messages, encoding: .utf8)) ?? ""
        let host = "127.0.0.1:\(target.server.port)"
        #expect(plain.contains("From: \"Front Desk\" <sip:FreeSWITCH@\(host)>;tag="), "\(plain)")
        #expect(plain.contains("Remote-Party-ID: \"Front Desk\"<sip:+4930123@\(host)>;party=calling;screen=no;privacy=off\r\n"))
        let viaBranded = (try? String(contentsOfFile: branded.messages, encoding: .utf8)) ?? ""
        let brandedHost = "127.0.0.1:\(branded.server.port)"
        #expect(viaBranded.contains("From: \"Caller\" <sip:FreeSWITCH@\(brandedHost)>;tag="), "\(viaBranded)")
        #expect(viaBranded.contains("P-Preferred-Identity: \"Caller\" <sip:+15550100@\(brandedHost)>\r\nPrivacy: none\r\n"))
        #expect(viaBranded.contains("INVITE sip:") && !viaBranded.contains("Remote-Party-ID"))
    }

    @Test func refusedBeforeTheDialplan() throws {
        let service = try ServiceProcess(files: [
            "conf/autoload_configs/acl.conf.xml": """
                <configuration name="acl.conf"><network-lists>
                  <list name="callers" default="deny"><node type="allow" cidr="192.0.2.0/24"/></list>
                  <list name="local" default="deny"><node type="allow" cidr="127.0.0.0/8"/></list>
                </network-lists></configuration>
                """,
            "dialplan/default.xml": bridgeGW1,
        ])
        defer { service.stop() }
        let result = try Sipp.run(scenario: Sipp.customized("uac_call_rejected", ["status": "403"]), port: service.sipPort, calls: 1,
                                  arguments: ["-s", "9980"], limit: 20)
        #expect(result.statistic("SuccessfulCall(C)") == 1, "\(result)")
        #expect(service.log.contains("rejected by ACL callers"))
    }

    @Test func noRouteMaxForwardsAndOverload() throws {
        let service = try ServiceProcess(files: ["dialplan/default.xml": bridgeGW1],
                                         profileSettings: "<param name=\"sessions-per-second\" value=\"2\"/>")
        defer { service.stop() }
        func send(_ number: String, branch: String, maxForwards: Int = 70) -> UDPSocket? {
            guard let peer = try? UDPSocket() else { return nil }
            peer.send("""
                INVITE sip:\(number)@127.0.0.1 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK-\(branch);rport
                Max-Forwards: \(maxForwards)
                From: <sip:1003@127.0.0.1>;tag=\(branch)
                To: <sip:\(number)@127.0.0.1>
                Call-ID: guard-\(branch)
                CSeq: 1 INVITE
                Content-Length: 0


                """, to: service.sipPort)
            return peer
        }
        func answer(_ peer: UDPSocket?) -> String? {
            for datagram in peer?.drain(quietFor: 0.5) ?? [] {
                let text = String(decoding: datagram, as: UTF8.self)
                if !text.hasPrefix("SIP/2.0 100") { return text.components(separatedBy: "\r\n").first }
            }
            return nil
        }
        #expect(answer(send("4444", branch: "a")) == "SIP/2.0 404 Not Found")
        Thread.sleep(forTimeInterval: 1.1)
        #expect(answer(send("9980", branch: "b", maxForwards: 0)) == "SIP/2.0 483 Too Many Hops")
        Thread.sleep(forTimeInterval: 1.1)
        // Six INVITEs within a few milliseconds: at 2 per second, some get 503 even if they
        // straddle a second boundary.
        let peers = (0..<6).map { send("4444", branch: "c\($0)") }
        let answers = peers.map(answer)
        #expect(answers.contains("SIP/2.0 503 Maximum Calls In Progress"))
    }

    /// Weights 2 and 1 with gw1 failing: the fresh pick after gw1 fails can be gw1 again in
    /// FreeSWITCH; with `skip-tried` it never is.
    @Test func skipTriedNeverRetriesTheSameGateway() throws {
        let gw1 = try Sipp.Server(scenario: Sipp.customized("gateway_reject", ["status": "503", "reason": "Service Unavailable"]))
        let gw2 = try Sipp.Server(scenario: "gateway_uas")
        let service = try ServiceProcess(files: [
            "conf/autoload_configs/distributor.conf.xml": """
                <configuration name="distributor.conf"><lists>
                  <list name="2gw" skip-tried="true"><node name="gw1" weight="2"/><node name="gw2" weight="1"/></list>
                </lists></configuration>
                """,
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gw1.port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gw2.port),
            "dialplan/default.xml": """
                <include><context name="default"><extension name="x"><condition field="destination_number" expression="^9980$">
                  <action application="set" data="continue_on_fail=true"/>
                  <action application="bridge" data="sofia/gateway/${distributor(2gw)}/1004" loop="2"/>
                </condition></extension></context></include>
                """,
        ])
        defer { service.stop() }
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 6, arguments: ["-s", "9980", "-r", "10", "-l", "1"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 6, "\(result)")
    }
}
