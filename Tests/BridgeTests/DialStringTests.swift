import Bridge
import Testing

struct DialStringTests {
    @Test func groupsLegsAndVariables() {
        let dial = DialString("{ignore_early_media=true,x='a,b'}sofia/gateway/gw1/1004|[leg_timeout=5]sofia/external/1004@127.0.0.1:5092,sofia/gateway/gw3/9@h")
        #expect(dial.groups.count == 2)
        #expect(dial.groups[0].map(\.endpoint) == [.gateway(name: "gw1", destination: "1004")])
        #expect(dial.groups[0][0].variables == ["ignore_early_media": "true", "x": "a,b"])
        #expect(dial.groups[1].map(\.endpoint) == [.profile(name: "external", target: "1004@127.0.0.1:5092"), .gateway(name: "gw3", destination: "9@h")])
        #expect(dial.groups[1][0].variables["leg_timeout"] == "5")
        #expect(dial.groups[1][1].variables["leg_timeout"] == nil)
        #expect(dial.groups[1][1].variables["ignore_early_media"] == "true")
    }

    @Test func oddEndpoints() {
        #expect(DialString("error/USER_BUSY").groups[0][0].endpoint == .error(cause: "USER_BUSY"))
        #expect(DialString("sofia/gateway/-err/1004").groups[0][0].endpoint == .gateway(name: "-err", destination: "1004"))
        #expect(DialString("loopback/1000").groups[0][0].endpoint == .unsupported("loopback/1000"))
        #expect(DialString("").groups.isEmpty)
    }

    @Test func aGatewaysOutboundVariablesGoUnderItsLegsOwn() {
        let dial = DialString("{leg_timeout=5}sofia/gateway/gw1/1004,[sip_h_X-Trunk=mine]sofia/gateway/gw1/1005|sofia/external/1004@127.0.0.1|sofia/gateway/gw2/1")
        let gatewayVariables = ["gw1": ["sip_h_X-Trunk": "acme", "leg_timeout": "9", "ignore_early_media": "true"]]
        let overlaid = dial.overlaying { gatewayVariables[$0] ?? [:] }
        #expect(overlaid.groups[0][0].variables == ["sip_h_X-Trunk": "acme", "leg_timeout": "5", "ignore_early_media": "true"])
        #expect(overlaid.groups[0][1].variables == ["sip_h_X-Trunk": "mine", "leg_timeout": "5", "ignore_early_media": "true"])
        #expect(overlaid.groups[1] == dial.groups[1])
        #expect(overlaid.groups[2] == dial.groups[2])
        #expect(dial.overlaying { _ in [:] } == dial)
    }

    @Test func aParsedStringComesBackTheSameFromTheCache() {
        let text = "{ignore_early_media=true}sofia/gateway/gw1/1004|sofia/gateway/gw2/1004"
        #expect(DialString.parsed(text) == DialString(text))
        #expect(DialString.parsed(text) == DialString(text))
    }
}
