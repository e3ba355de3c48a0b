import SIPMessage
import Testing

/// A Via or a name-addr written out again (a received request's top Via gets `received` and
/// `rport`; dialogs keep their From and To) reads exactly as RFC 3261 spells it.
struct DescriptionTests {
    @Test func viaWithPortAndParameters() throws {
        let via = try Via("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1;rport;received=192.0.2.1")
        #expect(via.description == "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1;rport;received=192.0.2.1")
    }

    @Test func viaWithoutPortOverTCP() throws {
        #expect(try Via("SIP/2.0/tcp proxy.example.com;branch=z9hG4bK-2").description == "SIP/2.0/TCP proxy.example.com;branch=z9hG4bK-2")
    }

    @Test func viaToAnIPv6Reference() throws {
        let via = try Via("SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK-3")
        #expect(via.description == "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK-3")
    }

    @Test func viaBuiltFromItsParts() {
        let via = Via(transport: "UDP", host: "10.0.0.1", port: nil, parameters: [SIPParameter(name: "branch", value: "z9hG4bK-4"),
                                                                             SIPParameter(name: "rport", value: nil)])
        #expect(via.description == "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-4;rport")
    }

    @Test func nameAddressWithEscapedDisplayNameAndFlag() throws {
        let address = try NameAddress(#""Alice \"A\" \\ B" <sip:alice@[2001:db8::2]:5080;transport=tcp>;tag=1928301774;lr"#)
        #expect(address.description == #""Alice \"A\" \\ B" <sip:alice@[2001:db8::2]:5080;transport=tcp>;tag=1928301774;lr"#)
    }

    @Test func addrSpecIsWrittenInAngleBrackets() throws {
        #expect(try NameAddress("sip:bob@example.com;tag=xyz").description == "<sip:bob@example.com>;tag=xyz")
    }
}
