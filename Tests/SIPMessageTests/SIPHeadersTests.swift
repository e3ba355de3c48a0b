import SIPMessage
import Testing

struct SIPHeadersTests {
    @Test func maxForwardsIsReadAsDigitsOnly() {
        func maxForwards(_ value: String) -> Int? {
            SIPRequest(method: "OPTIONS", uri: SIPURI(host: "h"), headers: SIPHeaders([("max-forwards", value)])).maxForwards
        }
        #expect(maxForwards("0") == 0)
        #expect(maxForwards(" 70\t") == 70)
        #expect(maxForwards("+70") == nil)
        #expect(maxForwards("7O") == nil)
        #expect(SIPRequest(method: "OPTIONS", uri: SIPURI(host: "h")).maxForwards == nil)
    }

    @Test func replacingTheFirstElementOfAOneElementField() {
        var headers = SIPHeaders([("Via", "SIP/2.0/UDP a;branch=z9hG4bK1"), ("Via", "SIP/2.0/UDP b;branch=z9hG4bK2")])
        headers.replaceFirstElement("via", with: "SIP/2.0/UDP a;branch=z9hG4bK1;received=10.0.0.1")
        #expect(headers.values("Via") == ["SIP/2.0/UDP a;branch=z9hG4bK1;received=10.0.0.1", "SIP/2.0/UDP b;branch=z9hG4bK2"])
    }

    @Test func replacingTheFirstElementOfACommaList() {
        var headers = SIPHeaders([("Via", "SIP/2.0/UDP a;branch=z9hG4bK1 ,SIP/2.0/UDP b;branch=z9hG4bK2")])
        headers.replaceFirstElement("Via", with: "SIP/2.0/UDP c")
        #expect(headers["Via"] == "SIP/2.0/UDP c, SIP/2.0/UDP b;branch=z9hG4bK2")
        // A comma inside quotes separates nothing.
        var contacts = SIPHeaders([("Contact", "\"a, b\" <sip:a@h>")])
        contacts.replaceFirstElement("Contact", with: "<sip:c@h>")
        #expect(contacts["Contact"] == "<sip:c@h>")
    }

    @Test func aBlankFieldHasNoFirstElementToReplace() {
        var headers = SIPHeaders([("Via", "  ")])
        headers.replaceFirstElement("Via", with: "SIP/2.0/UDP c")
        #expect(headers["Via"] == "  ")
        headers.replaceFirstElement("Route", with: "<sip:r>")
        #expect(!headers.contains("Route"))
    }
}
