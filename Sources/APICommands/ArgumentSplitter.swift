/// FreeSWITCH's blank-delimited splitter (`switch_separate_string` with ' '): runs of spaces
/// separate tokens, single quotes group, a backslash escapes the next character (`\n`, `\r`,
/// `\t` and `\s` stand for newline, return, tab and space), and the last allowed token takes
/// the rest of the line.
public enum ArgumentSplitter {
    public static func split(_ text: String, maxTokens: Int = 100) -> [String] {
        var text = text
        // Positions in the text's own bytes: slices of a copied array retained it once per token.
        return text.withUTF8 { bytes in
            var tokens: [String] = []
            // Commands take a few arguments: room for them at once, not grown one by one.
            tokens.reserveCapacity(min(maxTokens, 8))
            var index = 0
            while index < bytes.count && bytes[index] == 0x20 { index += 1 }
            while index < bytes.count && tokens.count < maxTokens {
                let start = index
                var insideQuotes = false
                if tokens.count == maxTokens - 1 {
                    index = bytes.count
                } else {
                    while index < bytes.count {
                        let byte = bytes[index]
                        if byte == backslash {
                            index += 2
                            continue
                        }
                        if byte == quote { insideQuotes.toggle() }
                        if byte == 0x20 && !insideQuotes { break }
                        index += 1
                    }
                }
                tokens.append(cleanUp(UnsafeBufferPointer(rebasing: bytes[start..<min(index, bytes.count)])))
                while index < bytes.count && bytes[index] == 0x20 { index += 1 }
            }
            return tokens
        }
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let quote = UInt8(ascii: "'")

    /// Removes the grouping quotes and escapes, and trailing blanks outside quotes.
    private static func cleanUp(_ token: UnsafeBufferPointer<UInt8>) -> String {
        // Most tokens are plain words: nothing to remove but blanks at the end.
        if !token.contains(where: { $0 == backslash || $0 == quote }) {
            var end = token.endIndex
            while end > token.startIndex, token[end - 1] == 0x20 { end -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: token[..<end]), as: UTF8.self)
        }
        var output: [UInt8] = []
        var end = 0
        var insideQuotes = false
        var index = token.startIndex
        while index < token.endIndex {
            let byte = token[index]
            if byte == backslash, index + 1 < token.endIndex, let escaped = unescape(token[index + 1]) {
                output.append(escaped)
                end = output.count
                index += 2
                continue
            }
            if byte == quote {
                insideQuotes.toggle()
            } else {
                output.append(byte)
                if byte != 0x20 || insideQuotes { end = output.count }
            }
            index += 1
        }
        return String(decoding: output[..<end], as: UTF8.self)
    }

    private static func unescape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: " "), backslash: return byte
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "s"): return 0x20
        default: return nil
        }
    }
}
