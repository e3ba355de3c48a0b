import JSONText
import Events

/// The event socket's wire forms (behaviour spec §5).
public enum ESLFraming {
    public static let greeting = "Content-Type: auth/request\n\n"
    public static let rudeRejection = rejection("Access Denied, go away.\n")

    /// FreeSWITCH's rejection frame with a reason of our own (connection limits, blocks).
    public static func rejection(_ body: String) -> String {
        "Content-Type: text/rude-rejection\nContent-Length: \(body.utf8.count)\n\n\(body)"
    }
    static let disconnectBody = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"

    public static func commandReply(_ text: String, extra: [(String, String)] = []) -> String {
        "Content-Type: command/reply\nReply-Text: \(text)\n" + extra.map { "\($0.0): \($0.1)\n" }.joined() + "\n"
    }

    public static func apiResponse(_ body: String) -> String {
        "Content-Type: api/response\nContent-Length: \(body.utf8.count)\n\n\(body)"
    }

    public static var disconnectNotice: String {
        "Content-Type: text/disconnect-notice\nContent-Length: \(disconnectBody.utf8.count)\n\n\(disconnectBody)"
    }

    /// `text/event-plain`: `Name: url-encoded value` lines, then the body if any.
    public static func plain(_ event: Event) -> String {
        var text = event.headers.map { "\($0.0): \(urlEncode($0.1))\n" }.joined()
        if let body = event.body {
            text += "Content-Length: \(body.utf8.count)\n\n\(body)"
        } else {
            text += "\n"
        }
        return "Content-Length: \(text.utf8.count)\nContent-Type: text/event-plain\n\n\(text)"
    }

    public static func json(_ event: Event) -> String {
        var fields = event.headers.map { "\(JSONString.quoted($0.0)):\(JSONString.quoted($0.1))" }
        if let body = event.body { fields.append("\"_body\":\(JSONString.quoted(body))") }
        let text = "{" + fields.joined(separator: ",") + "}"
        return "Content-Length: \(text.utf8.count)\nContent-Type: text/event-json\n\n\(text)"
    }

    static func urlEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.append(Character(UnicodeScalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}

import Foundation
