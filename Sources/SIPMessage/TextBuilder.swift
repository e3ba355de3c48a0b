/// A header value built from pieces written straight into the string's own storage, each
/// piece one copy: `+=` and string interpolation cost 300 to 400 instructions a piece, and a
/// byte array grown piece by piece checked its capacity and uniqueness at each and was then
/// copied into the string. A call builds a few dozen such values (Vias, Contacts, the
/// gateway's INVITE, ACKs, transaction keys, a received request's Via written out again).
public struct TextBuilder: ~Copyable {
    private var writer: WireWriter

    private init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        writer = WireWriter(UnsafeMutableRawBufferPointer(buffer), mustFit: false)
    }

    /// The text `build` writes, in a string with room for `capacity` bytes (15 or fewer: a
    /// small string, with no allocation). If the pieces need more room than that (a capacity
    /// reckoned short), the text is thrown away and `build` runs again from the start, with
    /// the room doubled until it fits: `build` must do nothing but write.
    public static func text(capacity: Int, _ build: (inout TextBuilder) -> Void) -> String {
        var room = max(capacity, 1)
        while true {
            var fitted = true
            let text = String(unsafeUninitializedCapacity: room) { buffer in
                var builder = TextBuilder(buffer)
                build(&builder)
                fitted = !builder.writer.overflowed
                return builder.writer.count
            }
            if fitted { return text }
            room = max(room * 2, 16)
        }
    }

    public mutating func append(_ text: String) {
        writer.write(text)
    }

    mutating func append(bytes text: UnsafeRawBufferPointer) {
        writer.write(text)
    }

    /// In decimal; a negative value is written as `0`.
    public mutating func append(_ value: Int) {
        SIPSerializer.appendDecimal(value, to: &writer)
    }

    /// As its description reads.
    public mutating func append(_ uri: SIPURI) {
        uri.append(to: &writer)
    }

    /// Pieces the serializer writes (parameters, host and port) into any `ByteSink`. The writer
    /// points into the string being built: `pieces` must write through it and not keep it.
    mutating func write(_ pieces: (inout WireWriter) -> Void) {
        pieces(&writer)
    }
}
