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

struct HeaderNameMatchingTests {
    static func parsed(_ lines: [String]) -> SIPRequest? {
        let text = (["OPTIONS sip:a@example.com SIP/2.0"] + lines + ["", ""]).joined(separator: "\r\n")
        guard case .message(.request(let request)) = SIPParser.parse(Array(text.utf8)) else { return nil }
        return request
    }

    static let essentials = ["Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@h>;tag=1", "To: <sip:b@h>",
                             "Call-ID: c1", "CSeq: 1 OPTIONS"]

    /// Known names in any case, compact or long, are the canonical header the stack reads;
    /// a name that only looks like one (a byte that is not its letter either case) is not.
    @Test func knownNamesMatchInAnyCaseAndNothingElseDoes() throws {
        let request = try #require(Self.parsed(["vIA: SIP/2.0/UDP h;branch=z9hG4bK1", "f: <sip:a@h>;tag=1", "TO: <sip:b@h>",
                                                "CALL-id: c1", "cseq: 1 OPTIONS", "CONTENT-type: text/plain", "rEcOrD-rOuTe: <sip:p@h;lr>",
                                                "X-Custom-Thing: yes", "Call_ID: underscore", "Max-Forwards: 70"]))
        #expect(request.headers.fields.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq", "Content-Type", "Record-Route",
                                                         "X-Custom-Thing", "Call_ID", "Max-Forwards"])
        #expect(request.callID == "c1")
        #expect(request.headers["call-id"] == "c1")
        #expect(request.headers["Call_ID"] == "underscore")
        #expect(request.headers["record-route"] == "<sip:p@h;lr>")
        #expect(request.headers["x-custom-thing"] == "yes")
        #expect(request.headers["X-CUSTOM-THING"] == "yes")
        #expect(request.contentType == "text/plain")
        #expect(request.maxForwards == 70)
        // Only a letter's two cases are the same byte: "Call.ID" and "cALL_id" are names of their own.
        let lookalike = try #require(Self.parsed(Self.essentials + ["Call.ID: other", "cALL_id: another"]))
        #expect(lookalike.callID == "c1")
        #expect(lookalike.headers.values("Call-ID") == ["c1"])
        #expect(lookalike.headers["call.id"] == "other")
        // A carriage return inside a name is not the dash it becomes ORed with 0x20: not a
        // Call-ID (there would be one), but a name that is no token, answered 400.
        #expect(Self.parsed(Self.essentials.filter { !$0.hasPrefix("Call-ID") } + ["Call\rID: c1"]) == nil)
        // Names of three and four words, their case mixed, and one that differs in its last byte.
        let long = try #require(Self.parsed(Self.essentials + ["P-ASSERTED-identity: <sip:1@h>", "proxy-AUTHORIZATION: Digest x",
                                                                "P-Asserted-Identitx: no"]))
        #expect(long.headers.fields.map(\.name).suffix(3) == ["P-Asserted-Identity", "Proxy-Authorization", "P-Asserted-Identitx"])
        #expect(long.headers.values("p-asserted-identity") == ["<sip:1@h>"])
    }

    /// Fields made by code under compact or lowercase names are the headers the stack reads:
    /// a response copies them, a skeleton keeps them, the serializer writes one Content-Length.
    @Test func fieldsMadeUnderAnyNameAreTheHeadersTheStackReads() throws {
        let request = SIPRequest(method: "OPTIONS", uri: SIPURI(host: "h"), headers: SIPHeaders([
            ("v", "SIP/2.0/UDP h;branch=z9hG4bK1"), ("f", "<sip:a@h>;tag=1"), ("t", "<sip:b@h>"), ("i", "c1"),
            ("cseq", "1 OPTIONS"), ("l", "99"), ("CONTENT-LENGTH", "98"), ("max-forwards", "69"),
        ]))
        #expect(request.headers.fields.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq", "Content-Length", "Content-Length", "Max-Forwards"])
        #expect(request.maxForwards == 69)
        #expect(request.response(status: 200).headers.fields.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq"])
        #expect(request.skeleton.headers.fields.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq"])
        let wire = String(decoding: request.serialized(), as: UTF8.self)
        #expect(wire.split(separator: "\r\n").filter { $0.hasPrefix("Content-Length") } == ["Content-Length: 0"])
    }

    @Test func setAndRemoveTakeAdjacentDuplicates() {
        var headers = SIPHeaders([("X-A", "1"), ("x-a", "2"), ("X-A", "3"), ("Route", "<sip:r1>"), ("route", "<sip:r2>"), ("ROUTE", "<sip:r3>"), ("To", "<sip:b@h>")])
        headers.set("X-A", "4")
        headers.remove("Route")
        #expect(headers.fields.map(\.name) == ["X-A", "To"])
        #expect(headers["x-a"] == "4")
    }

    /// Look-ups, replacement and removal find fields by name whether the stack reads that
    /// header itself or not, and whichever way the field was made.
    @Test func lookUpsSetAndRemoveByAnyName() throws {
        var headers = try #require(Self.parsed(Self.essentials + ["Contact: <sip:a@h>", "X-A: 1", "Route: <sip:r1>", "x-a: 2", "route: <sip:r2>"])).headers
        #expect(headers.values("X-A") == ["1", "2"])
        #expect(headers.values("Route") == ["<sip:r1>", "<sip:r2>"])
        #expect(headers.contains("contact"))
        #expect(!headers.contains("Subject"))
        headers.set("x-a", "3")
        #expect(headers.values("X-A") == ["3"])
        headers.set("Route", "<sip:r3>")
        #expect(headers.values("route") == ["<sip:r3>"])
        headers.add("Subject", "hello")
        #expect(headers["subject"] == "hello")
        headers.remove("ROUTE")
        headers.remove("x-a")
        #expect(headers.values("Route").isEmpty && headers.values("X-A").isEmpty)
        #expect(headers.fields.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq", "Contact", "Subject"])
    }
}
