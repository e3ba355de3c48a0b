import TextTrimming

/// `$1`, `${1}`... in action data replaced by the condition's captures at hunt time
/// (`switch_perform_substitution`); a group that did not take part gives "".
enum CaptureSubstitution {
    static func apply(_ data: String, captures: [String]) -> String {
        guard data.containsByte(UInt8(ascii: "$")) else { return data }
        var output = ""
        var index = data.startIndex
        while index < data.endIndex {
            let character = data[index]
            index = data.index(after: index)
            guard character == "$", index < data.endIndex else {
                output.append(character)
                continue
            }
            var cursor = index
            let braced = data[cursor] == "{"
            if braced { cursor = data.index(after: cursor) }
            var digits = ""
            while cursor < data.endIndex, data[cursor].isASCII, data[cursor].isNumber {
                digits.append(data[cursor])
                cursor = data.index(after: cursor)
            }
            if braced {
                guard cursor < data.endIndex, data[cursor] == "}" else { digits = "" ; output.append("$"); continue }
                cursor = data.index(after: cursor)
            }
            guard let group = Int(digits) else {
                output.append("$")
                continue
            }
            output += group < captures.count ? captures[group] : ""
            index = cursor
        }
        return output
    }
}
