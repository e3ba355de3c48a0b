#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether the UTF-8 text holds `byte` (ASCII), found with one memchr rather than byte by
    /// byte through the view's iterator: the dialplan asks this of every action and condition.
    public func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            guard let start = bytes.baseAddress else { return false }
            return memchr(start, Int32(byte), bytes.count) != nil
        } ?? utf8.contains(byte)
    }

    /// Whether the UTF-8 text holds `text`, found with memchr and memcmp: the standard
    /// library's `contains` compares Characters, by Unicode rules, which costs far more on
    /// every INVITE.
    public func containsBytes(of text: String) -> Bool {
        var haystack = self
        var needle = text
        return haystack.withUTF8 { bytes in
            needle.withUTF8 { wanted in
                guard let first = wanted.first else { return true }
                guard let base = bytes.baseAddress, bytes.count >= wanted.count else { return false }
                let last = bytes.count - wanted.count
                var at = 0
                while at <= last, let hit = memchr(base + at, Int32(first), last - at + 1) {
                    at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
                    if memcmp(base + at, wanted.baseAddress!, wanted.count) == 0 { return true }
                    at += 1
                }
                return false
            }
        }
    }
}
