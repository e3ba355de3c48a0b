/// Trimming for the ASCII delimiters of configuration and SIP text, on UTF-8 bytes (no
/// grapheme breaking, so it is cheap on the message path).
extension Substring {
    /// The text without `characters` (ASCII; blanks and line ends by default) at either end.
    public func trimmed(_ characters: String) -> String {
        trimming { byte in characters.utf8.contains(byte) }
    }

    /// The text without blanks and line ends (space, tab, CR, LF) at either end.
    public func trimmed() -> String {
        trimming { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    /// Like `trimmed()`, as a slice of the same text: no copy.
    public func trimmedSlice() -> Substring {
        slice { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    @inline(__always)
    private func trimming(_ isTrimmed: (UInt8) -> Bool) -> String {
        String(slice(isTrimmed))
    }

    @inline(__always)
    private func slice(_ isTrimmed: (UInt8) -> Bool) -> Substring {
        let utf8 = self.utf8
        var lower = utf8.startIndex
        var upper = utf8.endIndex
        while lower < upper, isTrimmed(utf8[lower]) { lower = utf8.index(after: lower) }
        while upper > lower, isTrimmed(utf8[utf8.index(before: upper)]) { upper = utf8.index(before: upper) }
        return self[lower..<upper]
    }
}

extension String {
    public func trimmed(_ characters: String) -> String {
        Substring(self).trimmed(characters)
    }

    public func trimmed() -> String {
        Substring(self).trimmed()
    }
}
