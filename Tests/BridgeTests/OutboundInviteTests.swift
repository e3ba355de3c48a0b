@testable import Bridge
import Testing

struct OutboundInviteTests {
    @Test func sipHVariablesBecomeHeadersTheLegsOverTheExportedOverTheChannels() {
        let headers = OutboundInvite.headerVariables(
            ["sip_h_X-Account": "channel", "sip_h_X-Only-Channel": "c", "other": "ignored"],
            ["sip_h_X-Account": "exported", "sip_h_X-Trunk": "t1"],
            ["sip_h_X-Trunk": "leg"]
        )
        #expect(headers.map(\.name) == ["X-Account", "X-Only-Channel", "X-Trunk"])
        #expect(headers.map(\.value) == ["exported", "c", "leg"])
    }

    /// mod_sofia sets a gateway's outbound variables on the leg first; the caller's `sip_h_`
    /// variables, copied next, and the dial string's replace them.
    @Test func aGatewaysHeaderVariablesGoUnderTheCallersAndTheDialStrings() {
        let headers = OutboundInvite.headerVariables(
            ["sip_h_X-Gateway": "gw", "sip_h_X-Account": "gw", "sip_h_X-Trunk": "gw"],
            ["sip_h_X-Account": "channel"], [:], ["sip_h_X-Trunk": "leg"]
        )
        #expect(headers.map(\.name) == ["X-Account", "X-Gateway", "X-Trunk"])
        #expect(headers.map(\.value) == ["channel", "gw", "leg"])
    }

    @Test func noSipHVariablesGiveNoHeaders() {
        #expect(OutboundInvite.headerVariables(["continue_on_fail": "true"], [:], [:]).isEmpty)
    }
}
