import Configuration
import IPAddressing
import TestSupport
import Testing
import XMLConfig

struct ConfigurationLoaderTests {
    @Test func bundledTreeLoadsCleanly() throws {
        let configuration = ConfigurationLoader(configurationDirectory: RepositoryPaths.conf, dialplanDirectory: RepositoryPaths.dialplan).load()
        #expect(configuration.diagnostics.isEmpty, "\(configuration.diagnostics)")
        let lists = try #require(configuration.distributor).lists
        #expect(lists.map(\.name) == ["test", "2gw"])
        #expect(lists[0].nodes.map(\.weight) == [1, 9])
        let external = try #require(configuration.profile(named: "external"))
        #expect(external.sipIP == "127.0.0.1")
        #expect(external.sipPort == 5080)
        #expect(external.context == "default")
        #expect(external.gateways.map(\.name) == ["gw1", "gw2"])
        #expect(external.gateways.map(\.proxy) == ["127.0.0.1:5091", "127.0.0.1:5092"])
        #expect(external.gateways.allSatisfy { !$0.registers && $0.parameters["ping"] == "25" })
        #expect(external.overloadQueueDelay == 200)
        #expect(external.tcpConnectionsPerAddress == 64)
        let callers = try #require(configuration.accessControlList(named: external.inboundACL ?? ""))
        #expect(callers.allows(IPAddress("127.0.0.1")!))
        #expect(!callers.allows(IPAddress("192.0.2.1")!))
        #expect(configuration.eventSocket == EventSocketConfiguration())
        #expect(configuration.dialplan.map(\.name) == ["default"])
        #expect(configuration.dialplan[0].extensions.first?[attribute: "name"] == "3-way gateway distributor")
    }

    private func load(_ files: [String: String]) throws -> (Configuration, TemporaryTree) {
        let tree = try TemporaryTree(files)
        try tree.write("dialplan/empty.xml", "<include/>")
        return (ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan")).load(), tree)
    }

    @Test func badNodesAreSkippedWithAWarningNamingFileLineAndElement() throws {
        let (configuration, tree) = try load(["conf/autoload_configs/distributor.conf.xml": """
            <configuration name="distributor.conf">
              <lists>
                <list name="2gw" total-weight="2">
                  <node name="gw1" weight="1"/>
                  <node name="gw0" weight="0"/>
                  <node name="gwx"/>
                  <node name="gw2" weight="abc"/>
                  <node name="gw3" weight="2.5"/>
                  <node weight="1"/>
                </list>
                <list><node name="a" weight="1"/></list>
                <list name="empty"/>
              </lists>
            </configuration>
            """])
        let file = tree.path("conf/autoload_configs/distributor.conf.xml").dropFirst(0)
        let messages = configuration.diagnostics.map(\.description)
        #expect(messages.contains("\(file):7: <node name=\"gw2\">: weight \"abc\" is not a positive integer; node skipped"))
        #expect(messages.contains("\(file):5: <node name=\"gw0\">: weight \"0\" is not a positive integer; node skipped"))
        #expect(messages.contains("\(file):6: <node name=\"gwx\">: missing attribute \"weight\"; node skipped"))
        #expect(messages.contains("\(file):8: <node name=\"gw3\">: weight \"2.5\" read as 2"))
        #expect(messages.contains("\(file):3: <list name=\"2gw\">: the total-weight attribute is no longer necessary; ignored"))
        #expect(messages.contains("\(file):11: <list>: missing attribute \"name\"; list skipped"))
        #expect(messages.contains("\(file):12: <list name=\"empty\">: list has no usable node; every pick answers -err"))
        #expect(!configuration.diagnostics.hasErrors)
        let list = try #require(configuration.distributor?.list(named: "2GW"))
        #expect(list.nodes.map(\.name) == ["gw1", "gw3"])
        #expect(list.nodes.map(\.weight) == [1, 2])
    }

    @Test func missingListsIsAnError() throws {
        let (configuration, _) = try load(["conf/autoload_configs/distributor.conf.xml": "<configuration name=\"distributor.conf\"/>"])
        #expect(configuration.distributor == nil)
        #expect(configuration.diagnostics.errors.map(\.message) == ["missing <lists>; the distributor has no lists"])
    }

    @Test func badProfileLimitsAreErrorsNamingTheirLine() throws {
        let (configuration, tree) = try load([
            "conf/sip_profiles/external.xml": """
            <profile name="external">
              <settings>
                <param name="overload-queue-delay" value="soon"/>
                <param name="rate-limit-requests" value="-1"/>
                <param name="tcp-connections-per-address" value="many"/>
                <param name="rate-limit-burst" value="0"/>
              </settings>
            </profile>
            """,
        ])
        let file = tree.path("conf/sip_profiles/external.xml")
        #expect(Set(configuration.diagnostics.errors.map(\.description)) == [
            "\(file):3: <param name=\"overload-queue-delay\">: \"soon\" is not a delay in milliseconds (0-60000)",
            "\(file):4: <param name=\"rate-limit-requests\">: \"-1\" is not a count of requests per second (0-1000000)",
            "\(file):5: <param name=\"tcp-connections-per-address\">: \"many\" is not a count of connections (0-65535)",
            "\(file):6: <param name=\"rate-limit-burst\">: \"0\" is not a count of requests (1-10000000)",
        ])
        #expect(configuration.profile(named: "external")?.overloadQueueDelay == nil)
    }

    @Test func gatewaysFromIncludedFilesAreCheckedLikeFreeSWITCHDoes() throws {
        let (configuration, tree) = try load([
            "conf/sip_profiles/external.xml": """
            <profile name="external">
              <gateways><X-PRE-PROCESS cmd="include" data="external/*.xml"/></gateways>
              <settings><param name="sip-port" value="5080"/><param name="apply-inbound-acl" value="nosuch"/></settings>
            </profile>
            """,
            "conf/sip_profiles/external/a.xml": """
            <include>
              <gateway name="reg"><param name="register" value="true"/><param name="username" value="u"/></gateway>
              <gateway name="bad name"><param name="register" value="false"/></gateway>
              <gateway name="ok"><param name="register" value="false"/><param name="realm" value="198.51.100.1"/>
                <variables><variable name="v" value="1" direction="outbound"/></variables></gateway>
              <gateway name="ok"><param name="register" value="false"/></gateway>
            </include>
            """,
        ])
        let file = tree.path("conf/sip_profiles/external/a.xml")
        let messages = configuration.diagnostics.map(\.description)
        #expect(messages.contains("\(file):2: <gateway name=\"reg\">: register is true but password is missing; gateway skipped"))
        #expect(messages.contains("\(file):3: <gateway name=\"bad name\">: gateway name may only hold letters, digits, '_', '.' and '-'; gateway skipped"))
        #expect(messages.contains("\(file):6: <gateway name=\"ok\">: duplicate gateway name; ignored"))
        #expect(configuration.diagnostics.errors.map(\.message) == ["no ACL list named \"nosuch\" in acl.conf"])
        let gateway = try #require(configuration.profile(named: "external")?.gateway(named: "ok"))
        #expect(gateway.proxy == "198.51.100.1")
        #expect(gateway.variables == [.init(name: "v", value: "1", direction: .outbound)])
    }

    @Test func theMetricsListenerTakesAnACLAndOneAclConfLacksIsReportedWhereItIsSet() throws {
        let metrics = { (acl: String) in
            """
            <configuration name="metrics.conf"><settings>
              <param name="listen-ip" value="0.0.0.0"/>
              <param name="apply-inbound-acl" value="\(acl)"/>
            </settings></configuration>
            """
        }
        let acl = "<configuration name=\"acl.conf\"><network-lists><list name=\"scrapers\" default=\"deny\"><node type=\"allow\" cidr=\"192.0.2.7/32\"/></list></network-lists></configuration>"
        let (named, _) = try load(["conf/autoload_configs/metrics.conf.xml": metrics("scrapers"), "conf/autoload_configs/acl.conf.xml": acl])
        #expect(named.metrics.applyInboundACL == "scrapers")
        #expect(named.diagnostics.errors.isEmpty)

        let (missing, tree) = try load(["conf/autoload_configs/metrics.conf.xml": metrics("nosuch")])
        let file = tree.path("conf/autoload_configs/metrics.conf.xml")
        #expect(missing.diagnostics.errors.map(\.description) == ["\(file):3: <param name=\"apply-inbound-acl\">: no ACL list named \"nosuch\" in acl.conf"])

        let (unset, _) = try load(["conf/autoload_configs/metrics.conf.xml": "<configuration name=\"metrics.conf\"><settings/></configuration>"])
        #expect(unset.metrics.applyInboundACL == "loopback.auto")
        #expect(unset.diagnostics.errors.isEmpty)
    }

    @Test func callerIDTypeIsRpidUnlessSetAndAnUnknownOneIsReported() throws {
        func profile(_ type: String?) throws -> (SIPProfile?, [String]) {
            let setting = type.map { "<param name=\"caller-id-type\" value=\"\($0)\"/>" } ?? ""
            let (configuration, _) = try load(["conf/sip_profiles/p.xml": "<profile name=\"p\"><settings>\(setting)</settings></profile>"])
            return (configuration.profile(named: "p"), configuration.diagnostics.map(\.message))
        }
        #expect(try profile(nil).0?.callerIDType == .rpid)
        #expect(try profile("PID").0?.callerIDType == .pid)
        #expect(try profile("none").0?.callerIDType == CallerIDType.none)
        let (unknown, messages) = try profile("pai")
        #expect(unknown?.callerIDType == .rpid)
        #expect(messages.contains("\"pai\" is not rpid, pid or none; rpid is used"))
    }

    @Test func everyBrokenFileIsReportedInOneRun() throws {
        let (configuration, _) = try load([
            "conf/autoload_configs/distributor.conf.xml": "<configuration name=\"distributor.conf\"><lists>",
            "conf/sip_profiles/a.xml": "<profile name=\"a\"><gateways><X-PRE-PROCESS cmd=\"include\" data=\"a.xml\"/></gateways></profile>",
        ])
        let errors = configuration.diagnostics.errors.map(\.message)
        #expect(errors.count == 2)
        #expect(errors.contains { $0.hasPrefix("malformed XML") })
        #expect(errors.contains { $0.hasPrefix("include cycle") })
    }

    @Test func missingDirectoryIsAnError() {
        let configuration = ConfigurationLoader(configurationDirectory: "/nonexistent/conf", dialplanDirectory: "/nonexistent/dialplan").load()
        #expect(configuration.diagnostics.errors.map(\.description) == ["/nonexistent/conf: configuration directory not found"])
    }

    @Test func cIntegerReadsLikeAtoi() {
        #expect(CInteger.parse(" 42abc") == 42)
        #expect(CInteger.parse("-3") == -3)
        #expect(CInteger.parse("abc") == 0)
        #expect(CInteger.parse("99999999999999999999") == Int(Int32.max))
    }
}
