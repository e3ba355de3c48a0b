import Configuration
import Gateways
import SIPMessage
import TestSupport
import XMLConfig
import Testing

/// mod_sofia's matching of an incoming INVITE to a gateway, by its Request-URI alone.
struct InboundGatewayTests {
    /// carrier: no extension (so its username); fixed: extension 5000 in context from-carrier;
    /// totouser: extension auto_to_user; auto: extension auto, with an inbound and an outbound variable.
    private func gateways() throws -> [String: GatewaySettings] {
        let tree = try TemporaryTree([
            "conf/sip_profiles/p.xml": """
                <profile name="p"><gateways>
                  <gateway name="carrier"><param name="register" value="false"/><param name="proxy" value="127.0.0.1:5070"/></gateway>
                  <gateway name="fixed"><param name="register" value="false"/><param name="proxy" value="127.0.0.1:5071"/>
                    <param name="extension" value="5000"/><param name="context" value="from-carrier"/>
                    <param name="extension-in-contact" value="true"/></gateway>
                  <gateway name="totouser"><param name="register" value="false"/><param name="extension" value="auto_to_user"/></gateway>
                  <gateway name="auto"><param name="register" value="false"/><param name="extension" value="auto"/>
                    <variables><variable name="carrier" value="acme" direction="inbound"/><variable name="sip_h_X-Out" value="1" direction="outbound"/></variables>
                  </gateway>
                </gateways><settings><param name="context" value="public"/></settings></profile>
                """,
        ])
        let configuration = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan")).load()
        let profile = try #require(configuration.profile(named: "p"))
        var diagnostics: [Diagnostic] = []
        return Dictionary(uniqueKeysWithValues: profile.gateways.compactMap { GatewaySettings.make($0, profile: profile, into: &diagnostics) }.map { ($0.name, $0) })
    }

    private func find(_ uri: String, toUser: String? = "4001", in gateways: [String: GatewaySettings]) throws -> InboundGateway? {
        InboundGateway.find(requestURI: try SIPURI(uri), toUser: toUser, gateway: { gateways[$0] })
    }

    @Test func aGwPlusUserNamesTheGatewayAndGoesToItsExtension() throws {
        let gateways = try gateways()
        let carrier = try #require(try find("sip:gw+carrier@127.0.0.1:5080;transport=udp;gw=carrier", in: gateways))
        #expect(carrier.settings.name == "carrier")
        #expect(carrier.destination == "FreeSWITCH")
        #expect(carrier.settings.context == "public")
        let fixed = try #require(try find("sip:gw+fixed@127.0.0.1", in: gateways))
        #expect(fixed.destination == "5000")
        #expect(fixed.settings.context == "from-carrier")
        // What each registers as its Contact's user: gw+NAME, or the extension when asked.
        #expect(!carrier.settings.extensionInContact && fixed.settings.extensionInContact)
        #expect(try find("sip:gw+totouser@127.0.0.1", in: gateways)?.destination == "4001")
        #expect(try find("sip:gw+auto@127.0.0.1", in: gateways)?.destination == "4001")
    }

    @Test func aGwParameterAloneUsesOnlyAConfiguredExtension() throws {
        let gateways = try gateways()
        #expect(try find("sip:1234@127.0.0.1;gw=carrier", in: gateways)?.destination == "1234")
        #expect(try find("sip:1234@127.0.0.1;gw=fixed", in: gateways)?.destination == "5000")
        #expect(try find("sip:1234@127.0.0.1;gw=totouser", in: gateways)?.destination == "4001")
        #expect(try find("sip:1234@127.0.0.1;gw=auto", in: gateways)?.destination == "1234")
        // No Request-URI user: the To user, as for any call.
        #expect(try find("sip:127.0.0.1;gw=carrier", in: gateways)?.destination == "4001")
    }

    @Test func otherCallsAndUnknownGatewaysAreNotMatched() throws {
        let gateways = try gateways()
        #expect(try find("sip:9980@127.0.0.1", in: gateways) == nil)
        #expect(try find("sip:gw+nope@127.0.0.1", in: gateways) == nil)
        #expect(try find("sip:1234@127.0.0.1;gw=nope", in: gateways) == nil)
        // An unknown gw+ name falls back to a known gw= parameter, as mod_sofia does.
        #expect(try find("sip:gw+nope@127.0.0.1;gw=fixed", in: gateways)?.settings.name == "fixed")
        // There, `auto` reads the To user, as after any `gw+`.
        #expect(try find("sip:gw+nope@127.0.0.1;gw=auto", in: gateways)?.destination == "4001")
    }

    @Test func inboundVariablesGoOnTheCallAndOutboundOnesOnItsLegs() throws {
        let auto = try #require(try find("sip:gw+auto@127.0.0.1", in: gateways()))
        #expect(auto.variables.map(\.name) == ["carrier"])
        #expect(auto.variables.map(\.value) == ["acme"])
        #expect(auto.settings.outboundHeaderVariables == ["sip_h_X-Out": "1"])
        #expect(auto.settings.outboundLegVariables.isEmpty)
    }
}
