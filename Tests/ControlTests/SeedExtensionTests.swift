import APICommands
import Configuration
import Control
import Dialplan
import Synchronization
import TestSupport
import Testing

/// The seed's 9980 extension on the bundled tree: `bridge sofia/gateway/${distributor(2gw)}/1004`
/// with loop="2", in its plain and its gateway-down form.
struct SeedExtensionTests {
    final class DownList: Sendable {
        let names: Mutex<String>
        init(_ names: String) { self.names = Mutex(names) }
    }

    private func runtime(down: DownList, plainForm: Bool) throws -> (ServiceRuntime, TemporaryTree?) {
        var dialplanDirectory = RepositoryPaths.dialplan
        var tree: TemporaryTree?
        if plainForm {
            let plain = try TemporaryTree(["dialplan/default.xml": """
                <include><context name="default">
                  <extension name="3-way gateway distributor">
                    <condition field="destination_number" expression="9980$">
                      <action application="set" data="continue_on_fail=true"/>
                      <action application="set" data="hangup_after_bridge=true"/>
                      <action application="bridge" data="sofia/gateway/${distributor(2gw)}/1004" loop="2"/>
                    </condition>
                  </extension>
                </context></include>
                """])
            dialplanDirectory = plain.path("dialplan")
            tree = plain
        }
        let loader = ConfigurationLoader(configurationDirectory: RepositoryPaths.conf, dialplanDirectory: dialplanDirectory)
        let runtime = ServiceRuntime(loader: loader, configuration: loader.load())
        // Stands in for the gateways' `sofia profile external gwlist down`.
        runtime.commands.register(APICommand(name: "sofia", syntax: "", summary: "") { arguments in
            arguments == "profile external gwlist down" ? down.names.withLock { $0 } : "-ERR"
        })
        return (runtime, tree)
    }

    /// The bridges one call would run; `failing` bridges fail (continue_on_fail), the rest answer.
    private func bridges(_ runtime: ServiceRuntime, failing: Int) -> [String] {
        var session = DialplanSession(caller: CallerProfile(destinationNumber: "9980", callerIDNumber: "1003"),
                                      environment: runtime.dialplanEnvironment(externalApplications: ["bridge"]))
        var dialed: [String] = []
        var step = session.start()
        while case .execute(_, let data, _) = step {
            dialed.append(data)
            guard dialed.count <= failing else { break }
            step = session.next()
        }
        return dialed
    }

    @Test(arguments: [true, false])
    func consecutiveCallsAlternateGateways(plainForm: Bool) throws {
        let (runtime, tree) = try runtime(down: DownList(""), plainForm: plainForm)
        _ = tree
        #expect(bridges(runtime, failing: 0) == ["sofia/gateway/gw1/1004"])
        #expect(bridges(runtime, failing: 0) == ["sofia/gateway/gw2/1004"])
        #expect(bridges(runtime, failing: 0) == ["sofia/gateway/gw1/1004"])
    }

    @Test(arguments: [true, false])
    func aFailedBridgeRetriesOnTheNextNode(plainForm: Bool) throws {
        let (runtime, tree) = try runtime(down: DownList(""), plainForm: plainForm)
        _ = tree
        #expect(bridges(runtime, failing: 2) == ["sofia/gateway/gw1/1004", "sofia/gateway/gw2/1004"])
    }

    @Test func theGatewayDownFormKeepsCallsOffTheDeadGateway() throws {
        let down = DownList("gw1 ")
        let (runtime, _) = try runtime(down: down, plainForm: false)
        #expect(bridges(runtime, failing: 2) == ["sofia/gateway/gw2/1004", "sofia/gateway/gw2/1004"])
        #expect(bridges(runtime, failing: 0) == ["sofia/gateway/gw2/1004"])
        down.names.withLock { $0 = "" }
        // gw1's credit was spent while it was excluded; the cycle goes on from there.
        #expect(bridges(runtime, failing: 1) == ["sofia/gateway/gw1/1004", "sofia/gateway/gw2/1004"])
    }

    @Test func expandCommandRunsTheExpandedLine() throws {
        let (runtime, _) = try runtime(down: DownList("gw1 "), plainForm: false)
        #expect(runtime.commands.execute(line: "expand distributor 2gw ${sofia profile external gwlist down}") == "gw2")
        #expect(runtime.commands.execute(line: "expand distributor 2gw ${sofia(profile external gwlist down)}") == "gw2")
    }
}
