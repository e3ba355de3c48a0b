// libFuzzer entry point for the SIP parser: `scripts/fuzz sip`. A normal build makes a stub
// that says so; `-D FUZZING` (with -sanitize=fuzzer) makes the fuzz target.
#if FUZZING
import FuzzerDriver
import SIPMessage

/// Every input must parse or be refused without crashing; what parses must serialize to text
/// that parses again to the same text (the serializer is canonical); a refused request must
/// still get a well-formed error response when it is answerable (readable Via and CSeq), as the
/// stack sends one; and the TCP framer must cut
/// any stream without crashing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch SIPParser.parse(bytes, framing: .datagram) {
    case .message(let message):
        let once = message.serialized()
        guard case .message(let again) = SIPParser.parse(once, framing: .datagram) else {
            fatalError("serialized message does not parse again")
        }
        precondition(again.serialized() == once, "serialization is not stable")
    case .invalid(let error, let partial):
        if let partial, partial.isAnswerable {
            let response = partial.response(status: error.status, reason: error.reason)
            switch SIPParser.parse(response.serialized(), framing: .datagram) {
            case .message:
                break
            case .invalid(let problem, _):
                // Only what the request itself lacked (or had malformed) may be wrong in the answer.
                let lacked = ["Call-ID", "From", "To"].contains { partial.headers.values($0).count != 1 }
                    || partial.from == nil || partial.to == nil || partial.callID?.isEmpty != false
                precondition(lacked, "the error response to a refused request is malformed: \(problem.reason)")
            }
        }
    }
    var framer = SIPStreamFramer()
    framer.append(bytes)
    for _ in 0..<64 {
        guard let output = framer.next() else { break }
        if case .message(let framed) = output { _ = SIPParser.parse(framed, framing: .stream) }
    }
    return 0
}

// SwiftPM links an executable's entry point as `SIPParserFuzzer_main`; here it hands over to libFuzzer.
@_cdecl("SIPParserFuzzer_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runFuzzer(argc, argv, fuzzSIPParser)
}
#else
@main enum SIPParserFuzzer {
    static func main() {
        print("This is the SIP parser fuzz target's stub; run scripts/fuzz sip to fuzz.")
    }
}
#endif
