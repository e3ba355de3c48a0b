@testable import SIPMessage
import Testing

/// A message is written into a buffer sized before writing: every part must land, byte for byte,
/// whatever the URI, the headers, the Content-Length fields and the body hold.
struct SerializerTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func requestWithEveryURIPartAndNoContentLength() {
        let uri = SIPURI(scheme: "sip", user: "alice", password: "secret", host: "[2001:db8::1]", port: 5070,
                         parameters: [SIPParameter(name: "transport", value: "tcp"), SIPParameter(name: "lr", value: nil)],
                         headers: "subject=hi")
        let request = SIPRequest(method: "OPTIONS", uri: uri, headers: SIPHeaders([("Call-ID", "c1"), ("Subject", "café ☕")]))
        #expect(text(request.serialized()) == """
            OPTIONS sip:alice:secret@[2001:db8::1]:5070;transport=tcp;lr?subject=hi SIP/2.0\r
            Call-ID: c1\r
            Subject: café ☕\r
            Content-Length: 0\r
            \r

            """)
    }

    @Test func theFirstContentLengthStatesTheBodyAndTheOthersGo() {
        let body = Array(repeating: UInt8(ascii: "x"), count: 12_345)
        let request = SIPRequest(method: "MESSAGE", uri: SIPURI(host: "h"),
                                 headers: SIPHeaders([("Content-Length", "3"), ("To", "<sip:b@h>"), ("Content-Length", "9")]), body: body)
        let bytes = request.serialized()
        #expect(text(Array(bytes.prefix(63))) == "MESSAGE sip:h SIP/2.0\r\nContent-Length: 12345\r\nTo: <sip:b@h>\r\n\r\n")
        #expect(bytes.count == 63 + body.count)
        #expect(Array(bytes.suffix(body.count)) == body)
    }

    @Test func responseWithAnEmptyReasonAndABody() {
        let response = SIPResponse(status: 183, reason: "", headers: SIPHeaders([("Content-Type", "application/sdp")]), body: Array("v=0\r\n".utf8))
        #expect(text(response.serialized()) == "SIP/2.0 183 \r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n")
    }

    /// The room reckoned before writing holds every message whole, whatever its numbers.
    @Test func theRoomReckonedHoldsTheWholeMessage() {
        let oddURI = SIPURI(user: "u", host: "h", port: 1_234_567, parameters: [SIPParameter(name: "lr", value: nil)])
        let messages: [SIPMessage] = [
            .request(SIPRequest(method: "INVITE", uri: oddURI, headers: SIPHeaders([("Via", "SIP/2.0/UDP h;branch=z9hG4bK1")]))),
            .request(SIPRequest(method: "MESSAGE", uri: SIPURI(host: "h"), headers: SIPHeaders([("l", "1"), ("l", "2")]), body: [1, 2, 3])),
            .response(SIPResponse(status: -42, reason: "", headers: SIPHeaders([("To", "<sip:\u{E9}@h>")]))),
            .response(SIPResponse(status: 200, reason: "OK", body: Array(repeating: 0, count: 100_000))),
        ]
        for message in messages {
            let bytes = message.serialized()
            #expect(bytes.count <= message.wireCapacity)
            var arena = [UInt8](repeating: 0, count: message.wireCapacity)
            let written = arena.withUnsafeMutableBytes { message.write(into: $0) }
            #expect(Array(arena.prefix(written)) == bytes)
        }
        #expect(String(decoding: messages[0].serialized().prefix(40), as: UTF8.self) == "INVITE sip:u@h:1234567;lr SIP/2.0\r\nVia: ")
    }

    /// A response's From and To are read for their tags without their URIs being checked:
    /// for a well-formed address, the tag must be the one a full check reads.
    @Test func aTagReadAloneIsTheTagOfTheCheckedAddress() throws {
        let addresses = [
            "<sip:a@h>;tag=1", "\"A <b>; c\" <sip:a@h;transport=tcp>;x;tag=2;y=z", "sip:a@h;user=phone;tag=3",
            "\"Q \\\" <\" <sip:a@h>;TAG=4", "<sip:a@h>;tag", "<sip:a@h;tag=no>", "sip:a@h", " <sip:a@h> ; tag = 5 ",
        ]
        for address in addresses {
            let lenient = try ByteText.reading(address) { text throws(SIPParseError) in try NameAddress.tag(in: text, text.all) }
            let checked = try ByteText.reading(address) { text throws(SIPParseError) in try NameAddress.scanTag(text, text.all) }
            #expect(lenient == checked, "\(address)")
        }
    }

    @Test func parsedValuesAreWrittenFromTheReceivedSection() throws {
        let received = Array("BYE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=f\r\nTo: <sip:b@h>;tag=t\r\nCall-ID: x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n".utf8)
        guard case .message(.request(let bye)) = SIPParser.parse(received) else { Issue.record("not a request"); return }
        #expect(bye.serialized() == received)
    }
}

/// Header values built piece by piece read as the pieces joined.
struct TextBuilderTests {
    /// A capacity reckoned short (4 bytes for 95) is written again into more room, whole.
    @Test func piecesNumbersAndAURIJoinInOrder() {
        let text = TextBuilder.text(capacity: 4) { text in
            text.append("<")
            text.append(SIPURI(user: "1004", host: "gw.example.com", port: 5080, parameters: [SIPParameter(name: "lr", value: nil)]))
            text.append(">;tag=")
            text.append("caf\u{E9} long enough to spill out of a small string")
            text.append(";n=")
            text.append(65_535)
            text.append(-3)
        }
        #expect(text == "<sip:1004@gw.example.com:5080;lr>;tag=caf\u{E9} long enough to spill out of a small string;n=655350")
    }

    /// Small strings (15 bytes or fewer) and exact fits, and one byte past a capacity of 15.
    @Test func shortAndExactlyFittingTextsAreWhole() {
        #expect(TextBuilder.text(capacity: 0) { _ in } == "")
        #expect(TextBuilder.text(capacity: 3) { $0.append("abc") } == "abc")
        #expect(TextBuilder.text(capacity: 16) { $0.append(String(repeating: "x", count: 16)) } == String(repeating: "x", count: 16))
        #expect(TextBuilder.text(capacity: 16) { $0.append(String(repeating: "y", count: 17)) } == String(repeating: "y", count: 17))
        #expect(TextBuilder.text(capacity: 15) { $0.append(String(repeating: "z", count: 15)) } == String(repeating: "z", count: 15))
        #expect(TextBuilder.text(capacity: 15) { $0.append(String(repeating: "w", count: 16)) } == String(repeating: "w", count: 16))
        #expect(TextBuilder.text(capacity: 14) { $0.append(4_294_967_295); $0.append(" ACK") } == "4294967295 ACK")
    }
}
