/// 32-bit FNV-1a: a cheap, well-spread hash of identifiers (branches, Call-IDs) that a table
/// computes once and keeps beside the key, for picking a shard and for hashing the key
/// without reading its text again. Every byte counts: some user agents' identifiers differ
/// only in the middle (`z9hG4bK-<pid>-<call>-<message>`).
public struct FNV1a: Sendable {
    public private(set) var value: UInt32 = 2_166_136_261

    public init() {}

    public init(_ text: String) {
        mix(text)
    }

    public mutating func mix(_ text: String) {
        var hash = value
        // From the string's own storage: walking its UTF-8 view byte by byte costs several times more.
        let mixed: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        }
        if mixed == nil {
            for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        }
        value = hash
    }

    public mutating func mix(_ number: UInt32) {
        value = (value ^ number) &* 16_777_619
    }
}
