import SIPMessage
import Testing

/// A million random and mutated messages: the parser must answer each one, message or reason,
/// without trapping, and whatever it accepts must serialize to something it accepts again.
/// A debug build runs a tenth of them; `scripts/test` runs the full million in a release build.
struct ParserFuzzTests {
    static let iterations = _isDebugAssertConfiguration() ? 100_000 : 1_000_000

    @Test func aMillionMutatedMessages() {
        var random = Xorshift(seed: 0x5EED)
        let seeds = [Samples.invite, Samples.ok, Samples.options]
        let fragments: [[UInt8]] = ["\r\n", ":", ";", ",", "<", ">", "\"", "\\", "[", "]", "@", "=", "%", " ", "\t",
                                    "Content-Length: 99999\r\n", "Via: SIP/2.0/UDP [::1\r\n", "\r\n\r\n", "CSeq: 1 X\r\n",
                                    "sip:", "SIP/2.0", "\u{00}", "\u{FF}"].map { Array($0.utf8) }
        var accepted = 0
        for iteration in 0..<Self.iterations {
            var bytes: [UInt8]
            if iteration % 16 == 0 {
                bytes = (0..<Int(random.next() % 200)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = seeds[iteration % seeds.count]
                for _ in 0..<(1 + random.next() % 4) {
                    let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 5 {
                    case 0: if !bytes.isEmpty { bytes[position] = UInt8(truncatingIfNeeded: random.next()) }
                    case 1: bytes.insert(contentsOf: fragments[Int(random.next() % UInt64(fragments.count))], at: position)
                    case 2: if !bytes.isEmpty { bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 16))) }
                    case 3: bytes = Array(bytes[..<position])
                    default: bytes.append(contentsOf: bytes[position...].prefix(64))
                    }
                }
            }
            if case .message(let message) = SIPParser.parse(bytes) {
                accepted += 1
                if iteration % 64 == 0, case .invalid(let error, _) = SIPParser.parse(message.serialized()) {
                    Issue.record("accepted message re-serialized into an invalid one: \(error)")
                }
            }
        }
        #expect(accepted > 0)
    }
}

struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
