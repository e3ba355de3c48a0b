import APICommands
import Configuration
import Control
import TestSupport
import Testing

struct DistributorCommandsTests {
    private func runtime(_ tree: TemporaryTree) -> ServiceRuntime {
        let loader = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan"))
        return ServiceRuntime(loader: loader, configuration: loader.load())
    }

    private func tree(_ lists: String) throws -> TemporaryTree {
        try TemporaryTree([
            "conf/autoload_configs/distributor.conf.xml": "<configuration name=\"distributor.conf\"><lists>\(lists)</lists></configuration>",
            "dialplan/d.xml": "<include/>",
        ])
    }

    private let twoLists = """
        <list name="2gw"><node name="gw1" weight="1"/><node name="gw2" weight="1"/></list>
        <list name="test"><node name="foo1" weight="1"/><node name="foo2" weight="9"/></list>
        """

    @Test func distributorAnswersNamesWithoutNewlineOrErr() throws {
        let tree = try tree(twoLists)
        let commands = runtime(tree).commands
        #expect(commands.execute(line: "distributor 2gw") == "gw1")
        #expect(commands.execute(line: "distributor 2GW") == "gw2")
        #expect(commands.execute(line: "distributor 2gw gw1") == "gw2")
        #expect(commands.execute(line: "distributor 2gw  gw1   gw2") == "-err")
        #expect(commands.execute(line: "distributor nosuchlist") == "-err")
        #expect(commands.execute(line: "distributor") == "-err")
        #expect(commands.execute(line: "nosuch thing") == "-ERR nosuch Command not found!\n")
    }

    @Test func dumpAndModifyAnswerLikeModDistributor() throws {
        let tree = try tree(twoLists)
        let commands = runtime(tree).commands
        #expect(commands.execute(line: "distributor_ctl dump test") == "list: name=test\nnode: name=foo1 weight=1\nnode: name=foo2 weight=9\n")
        #expect(commands.execute(line: "distributor_ctl dump") == "missing list name\n")
        #expect(commands.execute(line: "distributor_ctl dump nope") == "cannot find list\n")
        #expect(commands.execute(line: "distributor test") == "foo1")
        #expect(commands.execute(line: "distributor_ctl modify TEST FOO1=2 foo2=0 foo3=1 junk") ==
            "error: name=foo2, specified weight invalid\nerror: node foo3 not found\nlist: name=test\nnode: name=foo1 weight=2\nnode: name=foo2 weight=9\n")
        // modify restarts the cycle at the first node.
        #expect(commands.execute(line: "distributor test") == "foo1")
        #expect(commands.execute(line: "distributor_ctl modify") == "missing list name\n")
        #expect(commands.execute(line: "distributor_ctl modify nope a=1") == "cannot find list\n")
        #expect(commands.execute(line: "distributor_ctl") == "-error\n")
        #expect(commands.execute(line: "distributor_ctl frobnicate") == "-error\n")
    }

    @Test func reloadTakesTheLoadedConfigurationAfterReloadxml() throws {
        let tree = try tree(twoLists)
        let runtime = runtime(tree)
        let commands = runtime.commands
        #expect(commands.execute(line: "distributor 2gw") == "gw1")
        try tree.write("conf/autoload_configs/distributor.conf.xml",
                       "<configuration name=\"distributor.conf\"><lists><list name=\"2gw\"><node name=\"gw3\" weight=\"1\"/></list></lists></configuration>")
        // On-disk edits need reloadxml first, as in FreeSWITCH.
        #expect(commands.execute(line: "distributor_ctl reload") == "+OK reloaded.\n")
        #expect(commands.execute(line: "distributor 2gw") == "gw1")
        #expect(commands.execute(line: "reloadxml") == "+OK [Success]\n")
        #expect(commands.execute(line: "distributor 2gw") == "gw2")
        #expect(commands.execute(line: "distributor_ctl reload") == "+OK reloaded.\n")
        #expect(commands.execute(line: "distributor 2gw") == "gw3")
    }

    @Test func brokenReloadKeepsTheRunningConfiguration() throws {
        let tree = try tree(twoLists)
        let runtime = runtime(tree)
        try tree.write("conf/autoload_configs/distributor.conf.xml", "<configuration name=\"distributor.conf\">\n<lists>\n")
        let reply = runtime.commands.execute(line: "reloadxml")
        #expect(reply.hasPrefix("-ERR [\(tree.path("conf/autoload_configs/distributor.conf.xml")):3: malformed XML: "))
        #expect(runtime.store.current.distributor?.lists.count == 2)
        #expect(runtime.commands.execute(line: "distributor_ctl reload") == "+OK reloaded.\n")
        #expect(runtime.commands.execute(line: "distributor test") == "foo1")
    }

    @Test func reloadWithoutListsFailsAndKeepsTheOldOnes() throws {
        let tree = try tree("")
        let runtime = runtime(tree)
        #expect(runtime.commands.execute(line: "distributor_ctl reload") == "-error\n")
    }
}

/// The two opt-ins beyond FreeSWITCH: `skip-down` and `skip-tried` on a list.
struct DistributorOptInTests {
    @Test func skipDownAndSkipTriedAreOptIn() throws {
        let tree = try TemporaryTree([
            "conf/autoload_configs/distributor.conf.xml": """
                <configuration name="distributor.conf"><lists>
                  <list name="plain"><node name="gw1" weight="2"/><node name="gw2" weight="1"/></list>
                  <list name="careful" skip-down="true" skip-tried="true"><node name="gw1" weight="2"/><node name="gw2" weight="1"/></list>
                </lists></configuration>
                """,
            "dialplan/d.xml": "<include/>",
        ])
        let loader = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan"))
        let runtime = ServiceRuntime(loader: loader, configuration: loader.load())
        let tried = APICallContext { $0 == "distributor_tried" ? "gw1" : nil }
        let command = try #require(runtime.commands.command(named: "distributor"))
        // FreeSWITCH's lists ignore both: gw1, gw2, gw1 whatever was tried or is down.
        runtime.health.provide { ["gw1"] }
        #expect((0..<3).map { _ in command.run("plain", context: tried) } == ["gw1", "gw2", "gw1"])
        // The careful list never answers a DOWN or already-tried gateway.
        #expect((0..<3).map { _ in command.run("careful") } == ["gw2", "gw2", "gw2"])
        runtime.health.provide { [] }
        #expect((0..<3).map { _ in command.run("careful", context: tried) } == ["gw2", "gw2", "gw2"])
        #expect(command.run("careful") == "gw1")
    }
}
