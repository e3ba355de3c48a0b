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

    /// Name and number each go their own way: a gateway's `p:` variable, then the leg's
    /// `origination_caller_id_*`, an exported one, the caller's `effective_caller_id_*`, its own.
    @Test func theCallerIDALegPresentsComesFieldByFieldFromTheStrongestSource() {
        func presented(caller: [String: String] = [:], exports: [String: String] = [:], leg: [String: String] = [:],
                       gateway: [String: String] = [:]) -> String {
            let id = OutboundInvite.callerID(name: "Alice", number: "1000", callerVariables: caller, exports: exports,
                                             legVariables: leg, profileVariables: gateway)
            return "\(id.name) \(id.number)"
        }
        #expect(presented() == "Alice 1000")
        #expect(presented(caller: ["effective_caller_id_number": "2000"]) == "Alice 2000")
        #expect(presented(caller: ["effective_caller_id_name": "Desk", "effective_caller_id_number": "2000"],
                          exports: ["origination_caller_id_number": "3000"]) == "Desk 3000")
        #expect(presented(exports: ["origination_caller_id_number": "3000"], leg: ["origination_caller_id_number": "4000"]) == "Alice 4000")
        #expect(presented(caller: ["effective_caller_id_name": "Desk"], leg: ["origination_caller_id_name": "Sales"],
                          gateway: ["caller_id_number": "+15550100"]) == "Sales +15550100")
        #expect(presented(leg: ["origination_caller_id_number": "4000"], gateway: ["caller_id_name": "Trunk"]) == "Trunk 4000")
    }
}
