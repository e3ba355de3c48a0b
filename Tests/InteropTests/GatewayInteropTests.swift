import APICommands
import Configuration
import Foundation
import Gateways
import Logging
import NIOPosix
import SIPTransaction
import SIPTransport
import TestSupport
import Testing

/// Gateways pinged and registered against sipp peers on 127.0.0.1, with short timers.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct GatewayInteropTests {
    private func gatewayXML(_ name: String, port: Int, extra: String = "<param name=\"register\" value=\"false\"/>") -> String {
        """
        <include><gateway name="\(name)">
          <param name="proxy" value="127.0.0.1:\(port)"/>
          <param name="ping" value="5"/>
          \(extra)
        </gateway></include>
        """
    }

    /// A profile with the gateways, the sofia command, and a running stack.
    private func withGateways(_ gateways: [String: String], _ body: (CommandRegistry, GatewayManager) throws -> Void) async throws {
        var files: [String: String] = [
            "conf/sip_profiles/external.xml": """
                <profile name="external">
                  <gateways><X-PRE-PROCESS cmd="include" data="external/*.xml"/></gateways>
                  <settings><param name="sip-ip" value="127.0.0.1"/><param name="sip-port" value="0"/></settings>
                </profile>
                """,
            "dialplan/default.xml": "<include/>",
        ]
        for (name, xml) in gateways { files["conf/sip_profiles/external/\(name).xml"] = xml }
        let tree = try TemporaryTree(files)
        let configuration = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan")).load()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let timers = TransactionTimers(t1: .milliseconds(50), t2: .milliseconds(400), t4: .milliseconds(500))
        let stack = SIPStack(configuration: SIPStackConfiguration(port: 0, transports: [.udp], timers: timers), group: group, logger: logger)
        try await stack.start(user: NoCalls())
        let manager = GatewayManager(profiles: [.init(name: "external", stack: stack)], logger: logger)
        manager.start(configuration, on: group.next())
        let commands = CommandRegistry()
        SofiaCommands.register(in: commands, gateways: manager) { configuration }
        try body(commands, manager)
        manager.stop()
        await stack.shutdown()
        try await group.shutdownGracefully()
    }

    /// Polls `command` until it answers `expected` or `seconds` pass; answers the last reply.
    private func eventually(_ commands: CommandRegistry, _ command: String, _ expected: String, seconds: Double) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var reply = commands.execute(line: command)
        while reply != expected && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            reply = commands.execute(line: command)
        }
        return reply
    }

    @Test func upAndDownListsFollowThePings() async throws {
        let alive = try Sipp.Server(scenario: "options_uas")
        let unavailable = try Sipp.Server(scenario: "options_uas_503")
        let silent = try UDPSocket()
        try await withGateways([
            "gw1": gatewayXML("gw1", port: alive.port),
            "gw2": gatewayXML("gw2", port: unavailable.port),
            "gw3": gatewayXML("gw3", port: silent.port),
        ]) { commands, _ in
            // register=false gateways start UP, before any ping.
            #expect(commands.execute(line: "sofia profile external gwlist up") == "gw1 gw2 gw3 ")
            #expect(commands.execute(line: "sofia profile external gwlist down") == "")
            // The first pings go out 5 s after start; 503 and silence (a 408 after 64*T1) mean DOWN.
            #expect(eventually(commands, "sofia profile external gwlist down", "gw2 gw3 ", seconds: 15) == "gw2 gw3 ")
            #expect(commands.execute(line: "sofia profile external gwlist up") == "gw1 ")
            let status = commands.execute(line: "sofia status gateway gw1")
            #expect(status.contains("PingState\t1/1/1\n"))
            #expect(status.contains("State   \tNOREG\n"))
            #expect(status.contains("Status  \tUP"))
            #expect(commands.execute(line: "sofia status gateway nope") == "Invalid Gateway!\n")
            #expect(commands.execute(line: "sofia profile nope gwlist") == "Invalid Profile [nope]")

            // gw1 dies, gw2 recovers.
            alive.stop()
            unavailable.stop()
            let recovered = try Sipp.Server(scenario: "options_uas", port: unavailable.port)
            defer { recovered.stop() }
            #expect(eventually(commands, "sofia profile external gwlist up", "gw2 ", seconds: 15) == "gw2 ")
            #expect(commands.execute(line: "sofia profile external gwlist down") == "gw1 gw3 ")
        }
    }

    @Test func registrarChallengeGetsAnAuthenticatedRegister() async throws {
        let registrar = try Sipp.Server(scenario: "register_uas_401", calls: 1)
        try await withGateways([
            "reg": gatewayXML("reg", port: registrar.port, extra: """
                <param name="register" value="true"/><param name="username" value="1000"/>
                <param name="password" value="secret"/><param name="realm" value="127.0.0.1:\(registrar.port)"/>
                <param name="expire-seconds" value="60"/>
                """),
        ]) { commands, manager in
            #expect(commands.execute(line: "sofia profile external gwlist down") == "reg ")
            #expect(eventually(commands, "sofia profile external gwlist up", "reg ", seconds: 10) == "reg ")
            #expect(commands.execute(line: "sofia status gateway reg").contains("State   \tREGED\n"))
            #expect(registrar.waitForExit(seconds: 5) == 0)
        }
    }
}

/// A TU that takes no calls.
final class NoCalls: SIPTransactionUser {
    func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction) {
        transaction.respond(status: 480, toTag: "t")
    }

    func receive(ack: SIPRequest, from peer: SIPPeer) {}
}

import SIPMessage

/// `distributor serve` pinging sipp gateways: the log says what happened in FreeSWITCH's words.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct ServeGatewayLogTests {
    @Test func pingFailuresAreLoggedLikeFreeSWITCH() throws {
        let alive = try Sipp.Server(scenario: "options_uas")
        let unavailable = try Sipp.Server(scenario: "options_uas_503")
        func gateway(_ name: String, _ port: Int) -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/><param name=\"ping\" value=\"5\"/></gateway></include>"
        }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", alive.port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", unavailable.port),
        ], profileSettings: "<param name=\"timer-T1\" value=\"50\"/>")
        defer { service.stop() }
        try service.waitFor("Ping failed gw2 with code 503 - count 1/0/1, state DOWN", seconds: 15)
        #expect(!service.log.contains("Ping failed gw1"))
        alive.stop()
        try service.waitFor("Ping failed gw1 with code 408 - count 1/0/1, state DOWN", seconds: 15)
    }
}
