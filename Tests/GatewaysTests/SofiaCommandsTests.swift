import APICommands
import Configuration
import Gateways
import Logging
import NIOPosix
import SIPTransport
import TestSupport
import XMLConfig
import Testing

/// The sofia commands on gateways that do not ping (no traffic needed).
struct SofiaCommandsTests {
    private func gateway(_ name: String, _ extra: String = "") -> String {
        "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:5099\"/><param name=\"register\" value=\"false\"/>\(extra)</gateway></include>"
    }

    private func fixture(_ gateways: [String: String]) throws -> (TemporaryTree, CommandRegistry, GatewayManager, @Sendable () -> Configuration) {
        var files: [String: String] = [
            "conf/sip_profiles/external.xml": """
                <profile name="external">
                  <gateways><X-PRE-PROCESS cmd="include" data="external/*.xml"/></gateways>
                  <settings><param name="sip-ip" value="127.0.0.1"/><param name="sip-port" value="5080"/><param name="context" value="public"/></settings>
                </profile>
                """,
        ]
        for (name, xml) in gateways { files["conf/sip_profiles/external/\(name).xml"] = xml }
        let tree = try TemporaryTree(files)
        let loader = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let stack = SIPStack(configuration: SIPStackConfiguration(port: 0), group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let manager = GatewayManager(profiles: [.init(name: "external", stack: stack)], logger: logger)
        let configuration: @Sendable () -> Configuration = { loader.load() }
        manager.start(configuration(), on: MultiThreadedEventLoopGroup.singleton.next())
        let commands = CommandRegistry()
        SofiaCommands.register(in: commands, gateways: manager, configuration: configuration)
        return (tree, commands, manager, configuration)
    }

    @Test func statusGatewayHasFreeSWITCHsFieldLayout() throws {
        let (_, commands, manager, _) = try fixture(["gw1": gateway("gw1", "<param name=\"caller-id-in-from\" value=\"true\"/>")])
        defer { manager.stop() }
        let lines = commands.execute(line: "sofia status gateway gw1").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == Substring(String(repeating: "=", count: 97)))
        let keys = lines.dropFirst().dropLast(2).map { $0.split(separator: "\t").first.map(String.init) ?? "" }
        #expect(keys == ["Name    ", "Profile ", "Scheme  ", "Realm   ", "Username", "Password", "From    ", "Contact ", "Exten   ",
                         "To      ", "Proxy   ", "Context ", "Expires ", "Freq    ", "Ping    ", "PingFreq", "PingTime", "PingState",
                         "State   ", "Status  ", "Uptime  ", "CallsIN ", "CallsOUT", "FailedCallsIN", "FailedCallsOUT"])
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Username\tFreeSWITCH\n"))
        #expect(text.contains("Password\tno\n"))
        #expect(text.contains("From    \t<sip:FreeSWITCH@127.0.0.1:5099>\n"))
        #expect(text.contains("Context \tpublic\n"))
        #expect(text.contains("State   \tNOREG\n"))
        #expect(text.contains("Status  \tUP\n"))
        manager.count("gw1") { $0.callsOut += 2; $0.failedCallsOut += 1 }
        let counted = commands.execute(line: "sofia status gateway gw1")
        #expect(counted.contains("CallsOUT\t2\n"))
        #expect(counted.contains("FailedCallsOUT\t1\n"))
    }

    @Test func killgwRescanAndRestart() throws {
        let (tree, commands, manager, _) = try fixture(["gw1": gateway("gw1"), "gw2": gateway("gw2")])
        defer { manager.stop() }
        #expect(commands.execute(line: "sofia profile external gwlist") == "gw1 gw2 ")
        #expect(commands.execute(line: "sofia profile external killgw gw1") == "+OK gateway marked for deletion.\n")
        #expect(commands.execute(line: "sofia profile external killgw gw1") == "-ERR no such gateway.\n")
        #expect(commands.execute(line: "sofia profile external gwlist up") == "gw2 ")
        manager.count("gw2") { $0.callsOut = 7 }
        try tree.write("conf/sip_profiles/external/gw3.xml", gateway("gw3"))
        #expect(commands.execute(line: "sofia profile external rescan") == "+OK scan complete\n")
        #expect(commands.execute(line: "sofia profile external gwlist up") == "gw2 gw1 gw3 ")
        // gw2 kept its state through the rescan.
        #expect(commands.execute(line: "sofia status gateway gw2").contains("CallsOUT\t7\n"))
        #expect(commands.execute(line: "sofia profile external restart") == "restarting: external\n")
        #expect(commands.execute(line: "sofia status gateway gw2").contains("CallsOUT\t0\n"))
        #expect(commands.execute(line: "sofia profile nope rescan") == "Invalid Profile [nope]")
        #expect(commands.execute(line: "sofia bogus").hasPrefix("-ERR Usage"))
        let status = commands.execute(line: "sofia status")
        #expect(status.contains("external::gw2"))
        #expect(status.hasSuffix("1 profile 0 aliases\n"))
    }

    @Test func settingsDefaultsAndChecks() throws {
        let tree = try TemporaryTree([
            "conf/sip_profiles/p.xml": """
                <profile name="p"><gateways>
                  <gateway name="a"><param name="register" value="false"/><param name="realm" value="carrier.example:5070"/>
                    <param name="ping" value="3"/><param name="expire-seconds" value="2"/><param name="retry_seconds" value="45"/>
                    <param name="outbound-proxy" value="127.0.0.1:5070"/></gateway>
                  <gateway name="b"><param name="register" value="true"/><param name="username" value="u"/><param name="password" value="p"/>
                    <param name="register-transport" value="tls"/></gateway>
                </gateways><settings><param name="context" value="ctx"/></settings></profile>
                """,
        ])
        let configuration = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan")).load()
        let profile = try #require(configuration.profile(named: "p"))
        var diagnostics: [Diagnostic] = []
        let a = try #require(GatewaySettings.make(profile.gateways[0], profile: profile, into: &diagnostics))
        #expect(a.proxy == "carrier.example:5070")
        #expect(a.username == "FreeSWITCH")
        #expect(a.fromUser == "FreeSWITCH")
        #expect(a.ping == 0)
        #expect(a.expireSeconds == 3600)
        #expect(a.retrySeconds == 45)
        #expect(a.outboundProxy == "sip:127.0.0.1:5070")
        #expect(a.context == "ctx")
        #expect(GatewaySettings.make(profile.gateways[1], profile: profile, into: &diagnostics) == nil)
        let messages = diagnostics.map(\.message)
        #expect(messages.contains("ping must be at least 5 seconds; pinging stays off"))
        #expect(messages.contains("\"2\" is below 5; using 3600"))
        #expect(messages.contains("transport \"tls\" is not available (udp or tcp); gateway skipped"))
    }

    @Test func hostNamesAreResolved() {
        #expect(GatewayAddressResolver.resolve("localhost:5090", transport: .udp)?.address.port == 5090)
        #expect(GatewayAddressResolver.resolve("127.0.0.1", transport: .udp)?.address.port == 5060)
        #expect(GatewayAddressResolver.resolve("no-such-host.invalid", transport: .udp) == nil)
    }
}
