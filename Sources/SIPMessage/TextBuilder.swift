/// A header value built from pieces in one byte buffer, each piece one copy: `+=` and string
/// interpolation cost 300 to 400 instructions a piece, and a call builds about a hundred
/// pieces (Vias, Contacts, the gateway's INVITE, ACKs, transaction keys).
public struct TextBuilder {
    private var bytes: [UInt8] = []

    /// `capacity`: the bytes expected, so that the buffer is allocated once.
    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(bytes text: UnsafeRawBufferPointer) {
        // As typed bytes: a raw buffer is appended byte by byte, a typed one in one copy.
        bytes.append(contentsOf: text.assumingMemoryBound(to: UInt8.self))
    }

    /// In decimal; a negative value is written as `0`.
    public mutating func append(_ value: Int) {
        SIPSerializer.appendDecimal(value, to: &bytes)
    }

    /// As its description reads.
    public mutating func append(_ uri: SIPURI) {
        uri.append(to: &bytes)
    }

    public var text: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
