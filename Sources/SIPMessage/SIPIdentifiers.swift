#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Fresh branches, tags, Call-IDs and UUIDs: random, so that they are unique across restarts
/// and cannot be guessed. The bytes come from the system's generator 4 KiB at a time, not one
/// system call per identifier.
public enum SIPIdentifiers {
    /// `z9hG4bK` followed by 16 random hex digits (RFC 3261 §8.1.1.7).
    public static func branch() -> String {
        randomHex(16, after: "z9hG4bK")
    }

    public static func tag() -> String {
        randomHex(12)
    }

    public static func callID() -> String {
        randomHex(24)
    }

    /// A random (version 4) UUID in lowercase, as FreeSWITCH prints channel UUIDs.
    public static func uuid() -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes in
            pool.take(into: bytes)
            bytes[6] = bytes[6] & 0x0F | 0x40
            bytes[8] = bytes[8] & 0x3F | 0x80
            return String(unsafeUninitializedCapacity: 36) { text in
                var at = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    text[at] = hexDigit(byte >> 4)
                    text[at + 1] = hexDigit(byte & 0xF)
                    at += 2
                }
                return at
            }
        }
    }

    /// `count` random hex digits after `prefix`, made as one string.
    static func randomHex(_ count: Int, after prefix: StaticString = "") -> String {
        // The random bytes on the stack: an array for them was one more allocation per identifier.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: (count + 1) / 2) { bytes in
            pool.take(into: bytes)
            return prefix.withUTF8Buffer { prefix in
                String(unsafeUninitializedCapacity: prefix.count + count) { text in
                    for index in 0..<prefix.count { text[index] = prefix[index] }
                    for index in 0..<count {
                        let byte = bytes[index / 2]
                        text[prefix.count + index] = hexDigit(index % 2 == 0 ? byte >> 4 : byte & 0xF)
                    }
                    return prefix.count + count
                }
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static let pool = RandomPool()
}

/// Random bytes from the system's cryptographic generator, fetched in blocks.
final class RandomPool: Sendable {
    private struct Block {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var used = 4096
    }

    private let block = Mutex(Block())

    func take(into destination: UnsafeMutableBufferPointer<UInt8>) {
        block.withLock { block in
            var filled = 0
            while filled < destination.count {
                if block.used == block.bytes.count {
                    Self.refill(&block.bytes)
                    block.used = 0
                }
                let count = min(destination.count - filled, block.bytes.count - block.used)
                block.bytes.withUnsafeBufferPointer { source in
                    _ = UnsafeMutableBufferPointer(rebasing: destination[filled..<filled + count])
                        .initialize(from: source[block.used..<block.used + count])
                }
                block.used += count
                filled += count
            }
        }
    }

    private static func refill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            arc4random_buf(buffer.baseAddress!, buffer.count)
        }
    }
}
