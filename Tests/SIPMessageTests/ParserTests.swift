import SIPMessage
import Testing

struct ParserTests {
    private func request(_ bytes: [UInt8]) throws -> SIPRequest {
        guard case .message(.request(let request)) = SIPParser.parse(bytes) else {
            Issue.record("not a request: \(SIPParser.parse(bytes))")
            throw CancellationError()
        }
        return request
    }

    private func reason(_ text: String) -> (String, Int, Bool)? {
        guard case .invalid(let error, let partial) = SIPParser.parse(Samples.crlf(text)) else { return nil }
        return (error.reason, error.status, partial != nil)
    }

    @Test func skeletonKeepsWhatMatchesAndAnswersTheRequest() throws {
        let skeleton = try request(Samples.invite).skeleton
        #expect(skeleton.headers.map(\.name) == ["Via", "From", "To", "Call-ID", "CSeq"])
        #expect(skeleton.body.isEmpty)
        #expect(skeleton.essentials == nil)
        #expect(skeleton.uri.user == "1004")
        #expect(skeleton.callID == "1-12345@127.0.0.1")
        #expect(skeleton.cseq == CSeq(number: 1, method: "INVITE"))
        #expect(skeleton.from?.tag == "a73kszlfl")
        #expect(skeleton.topVia?.branch == "z9hG4bK-524287-1")
        #expect(skeleton.response(status: 487, toTag: "x").headers["Via"] == "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1;rport")
    }

    @Test func headerValuesReadAndSendAsReceived() throws {
        let invite = try request(Samples.invite)
        #expect(invite.headers["Call-ID"] == "1-12345@127.0.0.1")
        #expect(invite.headers["Via"] == "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1;rport")
        // Sent again, every value is byte for byte what came in.
        let again = try request(invite.serialized())
        #expect(again.headers == invite.headers)
        var edited = invite
        edited.headers.set("Subject", "a longer subject than fits a small string")
        #expect(try request(edited.serialized()).headers["Subject"] == "a longer subject than fits a small string")
    }

    @Test func invalidUTF8IsRepairedInItsOwnValueOnly() throws {
        var bytes = Array("OPTIONS sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=f1\r\nTo: <sip:b@h>\r\nSubject: caf".utf8)
        bytes += [0xE9] + Array(" au lait\r\nCall-ID: call-id-longer-than-fifteen\r\nCSeq: 1 OPTIONS\r\n\r\n".utf8)
        let options = try request(bytes)
        #expect(options.headers["Subject"] == "caf\u{FFFD} au lait")
        #expect(options.headers["Call-ID"] == "call-id-longer-than-fifteen")
        #expect(options.callID == "call-id-longer-than-fifteen")
        #expect(options.fromTag == "f1")
        // Three bytes of a four-byte sequence become one replacement character of three bytes:
        // the repaired section is as long as the bytes received, and its values still read right.
        var cut = Array("OPTIONS sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=f1\r\nTo: <sip:b@h>\r\nSubject: caf".utf8)
        cut += [0xF0, 0x90, 0x80] + Array(" au lait\r\nCall-ID: call-id-longer-than-fifteen\r\nCSeq: 1 OPTIONS\r\n\r\n".utf8)
        let repaired = try request(cut)
        #expect(repaired.headers["Subject"] == "caf\u{FFFD} au lait")
        #expect(repaired.callID == "call-id-longer-than-fifteen")
        #expect(repaired.headers["CSeq"] == "1 OPTIONS")
    }

    @Test func inviteWithSDP() throws {
        let invite = try request(Samples.invite)
        #expect(invite.method == "INVITE")
        #expect(invite.uri.user == "1004")
        #expect(invite.uri.port == 5080)
        #expect(invite.uri.parameters.value("transport") == "udp")
        #expect(invite.from?.displayName == "Alice \"A\"")
        #expect(invite.from?.tag == "a73kszlfl")
        #expect(invite.to?.tag == nil)
        #expect(invite.cseq == CSeq(number: 1, method: "INVITE"))
        #expect(invite.topVia?.branch == "z9hG4bK-524287-1")
        #expect(invite.topVia?.rport == 0)
        #expect(invite.maxForwards == 70)
        #expect(invite.body == Array(Samples.sdp.utf8))
    }

    @Test func fromAndToAreCheckedButKeptAsTheirTags() throws {
        let invite = try request(Samples.invite)
        #expect(invite.essentials?.fromTag == "a73kszlfl")
        #expect(invite.fromTag == "a73kszlfl")
        #expect(invite.toTag == nil)
        let tagged = try request(Samples.crlf("BYE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: sip:a@h;TAG=f1\nTo: \"B\" <sip:b@h>;x;tag=t2\nCall-ID: c\nCSeq: 2 BYE\n\n"))
        #expect(tagged.fromTag == "f1")
        #expect(tagged.toTag == "t2")
        #expect(tagged.to?.displayName == "B")
        #expect(tagged.to?.parameters.map(\.name) == ["x", "tag"])
        // Without essentials (headers changed since parsing), the tags come from the headers.
        var edited = tagged
        edited.headers.set("To", "<sip:b@h>;tag=t3")
        #expect(edited.essentials == nil)
        #expect(edited.toTag == "t3")
        #expect(edited.fromTag == "f1")
        // A bare `tag` is an empty tag; of two, the first counts.
        let oddTags = try request(Samples.crlf("BYE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@h>;tag;x=1\nTo: <sip:b@h>;tag=one;tag=two\nCall-ID: c\nCSeq: 2 BYE\n\n"))
        #expect(oddTags.fromTag == "")
        #expect(oddTags.toTag == "one")
        let base = "Via: SIP/2.0/UDP h;branch=z9hG4bK1\nCall-ID: c\nCSeq: 1 INVITE"
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nFrom: <sip:a@h>;t@g=1\nTo: <sip:b@h>\n\n")?.0 == "bad parameter name \"t@g\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nFrom: <sip:a@h>;tag=1\nTo: <sip:b@h;a=1;[x>\n\n")?.0 == "bad parameter \"[x\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nFrom: <sip:a@h:99999>;tag=1\nTo: <sip:b@h>\n\n")?.0.contains("bad port") == true)
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nFrom: sip:a@h?x=y;tag=1\nTo: <sip:b@h>\n\n")?.0.contains("must be in <>") == true)
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nFrom: <sip:a@h>;tag=1\nTo: <tel:>\n\n")?.0.contains("empty after its scheme") == true)
    }

    @Test func compactFormsAreExpanded() throws {
        guard case .message(.response(let ok)) = SIPParser.parse(Samples.ok) else { Issue.record("no response"); return }
        #expect(ok.status == 200)
        #expect(ok.headers["Via"] != nil)
        #expect(ok.headers["call-id"] == "1-12345@127.0.0.1")
        #expect(ok.topVia?.received == "127.0.0.1")
        #expect(ok.topVia?.rport == 5060)
        #expect(ok.to?.tag == "1410948204")
        #expect(ok.contentType == "application/sdp")
        #expect(ok.headers.fields.map(\.name).contains("Content-Type"))
    }

    @Test func serializingWhatWasParsedKeepsEverythingAPeerReliesOn() throws {
        let invite = try request(Samples.invite)
        let again = try request(invite.serialized())
        #expect(again == invite)
        #expect(invite.serialized() == Samples.invite)
        guard case .message(.response(let ok)) = SIPParser.parse(Samples.ok),
              case .message(.response(let okAgain)) = SIPParser.parse(ok.serialized()) else { Issue.record("no response"); return }
        #expect(okAgain == ok)
        #expect(okAgain.body == Array(Samples.sdp.utf8))
    }

    /// A parsed field keeps its value in the received bytes; it must read, compare, hash and
    /// change like a field made from a string.
    @Test func fieldsReadFromAMessageBehaveLikeFieldsMadeFromText() throws {
        let invite = try request(Samples.invite)
        let made = SIPHeaders(invite.headers.map { ($0.name, $0.value) })
        #expect(invite.headers == made)
        #expect(invite.headers.hashValue == made.hashValue)
        #expect(invite.headers["Contact"] == "<sip:1003@127.0.0.1:5060>")
        #expect(invite.headers["From"] != made["To"])
        var changed = invite
        changed.headers.set("Contact", "<sip:x@127.0.0.1>")
        #expect(changed.headers["Contact"] == "<sip:x@127.0.0.1>")
        #expect(changed.headers != invite.headers)
        #expect(invite.headers["Contact"] == "<sip:1003@127.0.0.1:5060>")
        let ringing = invite.response(status: 180, toTag: "t1")
        #expect(ringing.headers["To"] == "<sip:1004@127.0.0.1>;tag=t1")
        #expect(ringing.headers["From"] == "\"Alice \\\"A\\\"\" <sip:1003@127.0.0.1:5060>;tag=a73kszlfl")
        let reparsed = try #require({ if case .message(.response(let response)) = SIPParser.parse(ringing.serialized()) { response } else { nil } }())
        #expect(reparsed.headers.map(\.value) == ringing.headers.map(\.value) + ["0"])
    }

    @Test func foldedLinesMultiValueHeadersAndOddSpacing() throws {
        let text = """
            OPTIONS sip:u@example.com SIP/2.0
            Via  : SIP / 2.0 / UDP  host1.example.com ;branch=z9hG4bK1,
             SIP/2.0/TCP [2001:db8::10]:5070;branch=z9hG4bK2
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK3
            Max-Forwards: 70
            From: sip:caller@example.net;tag=98asjd8
            To: Bob
             <sip:u@example.com>
            Call-ID: x
            CSeq: 8 OPTIONS
            Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>
            Contact: "Quoted, with comma" <sip:c@h>, <sip:d@h>
            Unknown-Header: kept;as=is


            """
        let options = try request(Samples.crlf(text))
        #expect(options.vias.map(\.host) == ["host1.example.com", "[2001:db8::10]", "192.0.2.1"])
        #expect(options.vias[1].port == 5070)
        #expect(options.vias[1].transport == "TCP")
        #expect(options.to?.displayName == "Bob")
        #expect(options.from?.uri.user == "caller")
        #expect(options.from?.tag == "98asjd8")
        #expect(options.headers.elements("Route").count == 2)
        #expect(options.headers.elements("Contact") == ["\"Quoted, with comma\" <sip:c@h>", "<sip:d@h>"])
        #expect(options.headers["unknown-header"] == "kept;as=is")
    }

    @Test func urisOfEveryKind() throws {
        let escaped = try SIPURI("sip:%61lice:secret@atlanta.com;transport=TCP;lr?subject=project%20x&priority=urgent")
        #expect(escaped.user == "%61lice")
        #expect(escaped.password == "secret")
        #expect(escaped.parameters.has("lr"))
        #expect(escaped.headers == "subject=project%20x&priority=urgent")
        #expect(escaped.description == "sip:%61lice:secret@atlanta.com;transport=TCP;lr?subject=project%20x&priority=urgent")
        let v6 = try SIPURI("sips:[2001:db8::1]:5061")
        #expect(v6.hostPort.host == "2001:db8::1")
        #expect(v6.hostPort.port == 5061)
        let tel = try SIPURI("tel:+1-201-555-0123;phone-context=example.com")
        #expect(tel.host == "+1-201-555-0123")
        #expect((try? SIPURI("sip:[2001:db8::1")) == nil)
        #expect((try? SIPURI("sip:host:99999")) == nil)
        #expect((try? SIPURI("sip:bad host")) == nil)
        #expect((try? SIPURI("sip:[1:2:3:4:5:6:7:8:9]")) == nil)
        #expect(try SIPURI("sip:[::ffff:192.0.2.1]").host == "[::ffff:192.0.2.1]")
    }

    /// The kinds of RFC 4475 / RFC 5118 messages: each is read, or refused with its reason.
    @Test func tortureKinds() {
        let base = """
            Via: SIP/2.0/UDP h;branch=z9hG4bK1
            From: <sip:a@h>;tag=1
            To: <sip:b@h>
            Call-ID: c
            """
        #expect(reason("INVITE sip:b@h SIP/7.0\n\(base)\nCSeq: 1 INVITE\n\n")?.1 == 505)
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 OPTIONS\n\n")?.0 == "CSeq method OPTIONS does not match INVITE")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 36893488147419103232 INVITE\n\n")?.0.contains("32-bit") == true)
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nMax-Forwards: a70\n\n")?.0 == "bad Max-Forwards \"a70\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nContent-Length: -5\n\n")?.0 == "bad Content-Length \"-5\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nContent-Length: 50\n\nshort")?.0 == "body shorter than Content-Length (5 < 50)")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nl: 4\nContent-Length: 5\n\nabcde")?.0 == "conflicting Content-Length headers")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nMax-Forwards: 256\n\n")?.0 == "bad Max-Forwards \"256\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nMax-Forwards: +7\n\n")?.0 == "bad Max-Forwards \"+7\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nContent-Length: 70000\n\n")?.0 == "bad Content-Length \"70000\"")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nContent-Length:\n\n")?.0 == "bad Content-Length \"\"")
        // A response's From and To are read for their tags: a URI nothing reads does not spoil it.
        let oddFrom = "From: <sip:a@bad host>;tag=f9\nTo: \"T\" <sip:b@h:99999>;x;tag=t9\nCall-ID: c\nCSeq: 1 INVITE"
        guard case .message(.response(let lenient)) = SIPParser.parse(Samples.crlf("SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n\(oddFrom)\n\n")) else {
            Issue.record("a response with an odd From URI was refused"); return
        }
        #expect(lenient.fromTag == "f9")
        #expect(lenient.toTag == "t9")
        #expect(lenient.from == nil)
        // Its headers changed, the tags read from them are still the same.
        var edited = lenient
        edited.headers.add("Warning", "399 h \"edited\"")
        #expect(edited.fromTag == "f9" && edited.toTag == "t9")
        #expect(reason("INVITE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n\(oddFrom)\n\n") != nil)
        // Blanks around a number are not part of it: the same length twice, spaced apart, agrees.
        let spaced = SIPParser.parse(Samples.crlf("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nMax-Forwards:  0 \nl: 3 \nContent-Length:\t3\n\nabcdef"))
        guard case .message(.request(let agreed)) = spaced else { Issue.record("refused: \(spaced)"); return }
        #expect(agreed.body == Array("abc".utf8))
        #expect(reason("INVITE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@h>;tag=1\nTo: <sip:b@h>\nCSeq: 1 INVITE\n\n")?.0 == "missing Call-ID header")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\n\n")?.0 == "missing CSeq header")
        #expect(reason("INVITE  sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\n\n")?.0 == "bad request line")
        #expect(reason("INVITE http://b SIP/2.0\n\(base)\nCSeq: 1 INVITE\n\n")?.1 == 416)
        #expect(reason("INVITE sip:b@h SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: \"unterminated <sip:a@h>;tag=1\nTo: <sip:b@h>\nCall-ID: c\nCSeq: 1 INVITE\n\n") != nil)
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\nno colon here\n\n")?.0 == "header line without ':'")
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 INVITE\n")?.0 == "no empty line after the headers")
        #expect(reason("SIP/2.0 2000 OK\n\(base)\nCSeq: 1 INVITE\n\n")?.0 == "bad status code \"2000\"")
        // A refused request still carries what a 400 needs; an unreadable start line does not.
        #expect(reason("INVITE sip:b@h SIP/2.0\n\(base)\nCSeq: 1 OPTIONS\n\n")?.2 == true)
        // Readable oddities: unknown method, escaped user, long value, extra bytes past Content-Length.
        let long = String(repeating: "x", count: 4000)
        guard case .message(.request(let odd)) = SIPParser.parse(Samples.crlf("NEWMETHOD sip:%22b%22@h SIP/2.0\n\(base)\nCSeq: 1 NEWMETHOD\nX-Long: \(long)\nContent-Length: 3\n\nabcdef")) else {
            Issue.record("odd message refused")
            return
        }
        #expect(odd.body == Array("abc".utf8))
        #expect(odd.headers["x-long"]?.count == 4000)
    }

    @Test func limits() {
        let huge = Array(repeating: UInt8(ascii: "a"), count: SIPParser.maximumMessageSize + 1)
        guard case .invalid(let error, _) = SIPParser.parse(huge) else { Issue.record("accepted"); return }
        #expect(error.status == 513)
        let many = (0..<300).map { "X-\($0): v" }.joined(separator: "\n")
        #expect(reason("OPTIONS sip:b@h SIP/2.0\n\(many)\n\n")?.0 == "more than 256 header fields")
    }
}
