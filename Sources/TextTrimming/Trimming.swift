/// Trimming for the ASCII delimiters of configuration and SIP text, on UTF-8 bytes (no
/// grapheme breaking, so it is cheap on the message path).
extension Substring {
    /// The text without `characters` (ASCII; blanks and line ends by default) at either end.
    public func trimmed(_ characters: String = " \t\r\n") -> String {
        let set = Array(characters.utf8)
        let utf8 = self.utf8
        var lower = utf8.startIndex
        var upper = utf8.endIndex
        while lower < upper, set.contains(utf8[lower]) { lower = utf8.index(after: lower) }
        while upper > lower, set.contains(utf8[utf8.index(before: upper)]) { upper = utf8.index(before: upper) }
        return String(self[lower..<upper])
    }
}

extension String {
    public func trimmed(_ characters: String = " \t\r\n") -> String {
        Substring(self).trimmed(characters)
    }
}
