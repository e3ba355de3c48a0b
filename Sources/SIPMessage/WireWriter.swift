#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a message into memory sized up front, each piece one copy: appending to an array
/// checked its capacity and uniqueness for every byte and piece, which cost more than the
/// copying. A piece that does not fit ends the writing and sets `overflowed`, so that a size
/// reckoned wrong never writes out of bounds and never leaves a hole with later pieces written
/// after it. For a message that is a bug (an assertion in a debug build; the message is cut
/// short); `TextBuilder` writes its text again into more room.
struct WireWriter: ByteSink {
    private let base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    /// A piece did not fit.
    private(set) var overflowed = false
    /// Whether overflowing is a bug (a message's size is reckoned exactly) or a case its
    /// writer handles (`TextBuilder` writes again into more room).
    private let mustFit: Bool

    init(_ buffer: UnsafeMutableRawBufferPointer, mustFit: Bool = true) {
        // An empty buffer has no address; a writer over it writes nothing.
        base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafeMutablePointer(bitPattern: 1)!
        capacity = buffer.baseAddress == nil ? 0 : buffer.count
        self.mustFit = mustFit
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        guard count < capacity else { return overflow() }
        base[count] = byte
        count += 1
    }

    mutating func write(_ text: some StringProtocol) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { write(UnsafeRawBufferPointer($0)) }
        if copied == nil {
            for byte in text.utf8 { write(byte) }
        }
    }

    @inline(__always)
    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// A literal, copied without retaining a string.
    @inline(__always)
    mutating func write(literal: StaticString) {
        write(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        guard bytes.count <= capacity - count else { return overflow() }
        memcpy(base + count, source, bytes.count)
        count += bytes.count
    }

    private mutating func overflow() {
        capacity = count
        overflowed = true
        assert(!mustFit, "a message was sized smaller than what it holds")
    }
}
