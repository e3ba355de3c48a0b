import SIPMessage
import Testing

/// Requests, responses and URIs share their fields until one copy is written.
struct CopyOnWriteTests {
    @Test func aChangedCopyLeavesTheOriginalAsItWas() throws {
        guard case .message(.request(let parsed)) = SIPParser.parse(Samples.invite) else { Issue.record("no request"); return }
        var copy = parsed
        copy.uri.user = "2000"
        copy.headers.add("X-Test", "1")
        copy.method = "OPTIONS"
        #expect(parsed.uri.user == "1004")
        #expect(parsed.headers["X-Test"] == nil && parsed.method == "INVITE")
        #expect(copy != parsed && copy.uri.user == "2000" && copy.headers["X-Test"] == "1")
        #expect(parsed == parsed)
    }

    @Test func changingHeadersForgetsWhatTheParserRead() throws {
        guard case .message(.request(let parsed)) = SIPParser.parse(Samples.invite) else { Issue.record("no request"); return }
        #expect(parsed.essentials != nil)
        var copy = parsed
        copy.headers.set("Call-ID", "changed@example.com")
        #expect(copy.essentials == nil && copy.callID == "changed@example.com")
        #expect(parsed.essentials != nil && parsed.callID != "changed@example.com")
    }
}
