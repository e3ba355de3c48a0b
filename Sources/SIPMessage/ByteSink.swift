/// Where the serializer writes: a growing array (a header value being built), or memory sized
/// up front (`WireWriter`, a whole message).
protocol ByteSink {
    mutating func write(_ byte: UInt8)
    mutating func write(_ text: some StringProtocol)
}

extension Array: ByteSink where Element == UInt8 {
    mutating func write(_ byte: UInt8) {
        append(byte)
    }

    mutating func write(_ text: some StringProtocol) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: text.utf8)
        }
    }
}
