import SIPMessage
import TextTrimming

/// A `WWW-Authenticate` or `Proxy-Authenticate` Digest challenge (RFC 2617, RFC 7616 with MD5),
/// and the `Authorization` answering it.
public struct DigestChallenge: Hashable, Sendable {
    public let realm: String
    public let nonce: String
    public let opaque: String?
    public let algorithm: String
    public let qop: [String]
    public let stale: Bool

    public init?(_ header: String) {
        let text = header.drop { $0 == " " }
        guard text.lowercased().hasPrefix("digest") else { return nil }
        var values: [String: String] = [:]
        for item in SIPGrammar.splitList(String(text.dropFirst("digest".count))) {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let name = item[..<equals].trimmed(" ").lowercased()
            var value = item[item.index(after: equals)...].trimmed(" ")
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            values[name] = value
        }
        guard let realm = values["realm"], let nonce = values["nonce"] else { return nil }
        let algorithm = values["algorithm"] ?? "MD5"
        guard algorithm.uppercased() == "MD5" else { return nil }
        self.realm = realm
        self.nonce = nonce
        opaque = values["opaque"]
        self.algorithm = algorithm
        qop = values["qop"].map { $0.split(separator: ",").map { $0.trimmed(" ") } } ?? []
        stale = values["stale"]?.lowercased() == "true"
    }

    /// The credentials for `method uri`; `nonceCount` counts the uses of this nonce (from 1).
    public func authorization(method: String, uri: String, username: String, password: String,
                              nonceCount: Int, clientNonce: String) -> String {
        let ha1 = MD5.hex("\(username):\(realm):\(password)")
        let ha2 = MD5.hex("\(method):\(uri)")
        var fields = [
            "username=\"\(username)\"", "realm=\"\(realm)\"", "nonce=\"\(nonce)\"", "uri=\"\(uri)\"",
        ]
        if qop.contains("auth") {
            let count = Self.eightHexDigits(nonceCount)
            let response = MD5.hex("\(ha1):\(nonce):\(count):\(clientNonce):auth:\(ha2)")
            fields += ["response=\"\(response)\"", "algorithm=MD5", "cnonce=\"\(clientNonce)\"", "qop=auth", "nc=\(count)"]
        } else {
            fields += ["response=\"\(MD5.hex("\(ha1):\(nonce):\(ha2)"))\"", "algorithm=MD5"]
        }
        if let opaque { fields.append("opaque=\"\(opaque)\"") }
        return "Digest " + fields.joined(separator: ", ")
    }
}

extension DigestChallenge {
    static func eightHexDigits(_ value: Int) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}
