/// Fresh branches, tags and Call-IDs: random, so that they are unique across restarts.
public enum SIPIdentifiers {
    /// `z9hG4bK` followed by 16 random hex digits (RFC 3261 §8.1.1.7).
    public static func branch() -> String {
        Via.magicCookie + randomHex(16)
    }

    public static func tag() -> String {
        randomHex(12)
    }

    public static func callID() -> String {
        randomHex(24)
    }

    static func randomHex(_ count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        var bits: UInt64 = 0
        for index in 0..<count {
            if index % 16 == 0 { bits = generator.next() }
            bytes[index] = digits[Int(bits & 0xF)]
            bits >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
