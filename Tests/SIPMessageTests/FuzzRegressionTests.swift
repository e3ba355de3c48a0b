import SIPMessage
import Testing

/// Inputs the coverage-guided fuzzer (scripts/fuzz) found; each once broke a property the fuzz
/// target checks.
struct FuzzRegressionTests {
    /// What the stack sends for a refused request must itself be a readable message; a request
    /// without a readable Via and CSeq is not answerable (the stack drops it).
    @Test(arguments: [
        [0x0a, 0x53, 0x7a, 0x70, 0x20, 0x5b, 0x20, 0x5b, 0x0a, 0x0a, 0x00, 0x0a, 0x28, 0xff, 0x53, 0x26, 0x07, 0x2a, 0x7a] as [UInt8],
        // A control character inside the To URI.
        Array("OPTIONS sip:127.0.0.1:5080 SIP/2.0\r\nVia: SIP/2.0/TCP [::1]:5060;branch=z9hG4bK-2\r\nFrom: <sip:ping@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1:508\u{10}>\r\nCall-ID: o1\r\nCSeq: 7 OPTIONS\r\nMax-Forwards: 70\r\nContentL-ength: 0\r\n\r\n".utf8),
        // NULs inside the compact To.
        Array("BYE sip:b@h SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK3\r\nf: <sip:a@h>;tag=1\r\nt: <se\0\0\0\0\0\0\0tag=2\r\ni: x\r\nCSeq: 2 BYE\r\nl: 0\r\n\r\n".utf8),
    ])
    func errorResponseToARefusedRequestParses(input: [UInt8]) throws {
        guard case .invalid(let error, let partial?) = SIPParser.parse(input, framing: .datagram) else { return }
        guard partial.isAnswerable else {
            #expect(partial.topVia == nil || partial.cseq == nil)
            return
        }
        let response = partial.response(status: error.status, reason: error.reason).serialized()
        #expect(String(decoding: response, as: UTF8.self).hasPrefix("SIP/2.0 \(error.status) "))
        if case .invalid = SIPParser.parse(response, framing: .datagram) {
            // Only a From, To or Call-ID the request lacked or had malformed may spoil the answer.
            #expect(partial.from == nil || partial.to == nil || partial.callID?.isEmpty != false)
        }
    }
}
