@testable import SIPMessage
import Testing

/// What a transaction keeps for 32 s must not keep a large received header section its values
/// were sliced from: a sender can make that 64 KiB.
struct DetachedValuesTests {
    private let invite: SIPRequest = {
        let padding = String(repeating: "x", count: 4_000)
        let text = "INVITE sip:1004@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-detach-1\r\n"
            + "From: <sip:alice@127.0.0.1>;tag=from-tag-longer-than-small\r\nTo: <sip:1004@127.0.0.1>\r\n"
            + "Call-ID: detach-call-id-longer-than-small\r\nCSeq: 1 INVITE\r\nX-Padding: \(padding)\r\nContent-Length: 0\r\n\r\n"
        guard case .message(.request(let request)) = SIPParser.parse(Array(text.utf8)) else { fatalError("not a request") }
        return request
    }()

    private func ownsItsStorage(_ field: SIPHeaders.Field) -> Bool {
        field.isWholeStorage
    }

    @Test func parsedValuesAreSlicesOfTheHeaderSection() {
        #expect(invite.headers.fields.allSatisfy { !ownsItsStorage($0) })
    }

    @Test func aSkeletonsValuesAreTheirOwn() {
        let skeleton = invite.skeleton
        #expect(skeleton.headers.count == 5)
        #expect(skeleton.headers.fields.allSatisfy(ownsItsStorage))
        #expect(skeleton.headers["Call-ID"] == "detach-call-id-longer-than-small")
    }

    @Test func aUsualSectionIsKeptAsItIs() throws {
        guard case .message(.request(let small)) = SIPParser.parse(Samples.invite) else { throw CancellationError() }
        #expect(small.skeleton.headers.fields.allSatisfy { !ownsItsStorage($0) })
        #expect(small.response(status: 200, toTag: "t").detached.headers["Call-ID"] == "1-12345@127.0.0.1")
    }

    @Test func aDetachedResponsesValuesAreTheirOwn() {
        let response = invite.response(status: 200, toTag: "t")
        #expect(!response.headers.fields.allSatisfy(ownsItsStorage))
        let kept = response.detached
        #expect(kept.headers.fields.allSatisfy(ownsItsStorage))
        #expect(kept.headers == response.headers)
    }
}
