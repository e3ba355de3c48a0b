/// C's `atoi`, which FreeSWITCH uses for numbers in its configuration: leading blanks, an
/// optional sign, then digits up to the first other character; no digits reads as 0.
/// Values past Int32 are clamped rather than wrapped.
public enum CInteger {
    public static func parse(_ text: String) -> Int {
        var bytes = Substring(text).utf8.drop { $0 == 0x20 || (0x09...0x0D).contains($0) }
        var sign = 1
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            sign = first == UInt8(ascii: "-") ? -1 : 1
            bytes = bytes.dropFirst()
        }
        var value = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { break }
            value = min(value * 10 + Int(byte - 0x30), Int(Int32.max))
        }
        return sign * value
    }
}
