/// A JSON string literal, quoted and escaped (RFC 8259 §7), for the writers that build JSON
/// by hand on a hot path: event socket events and log lines.
public enum JSONString {
    public static func quoted(_ text: String) -> String {
        var result = "\""
        append(text, to: &result)
        return result + "\""
    }

    /// Appends the escaped contents of `text`, without quotes.
    static func append(_ text: String, to result: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
    }
}
