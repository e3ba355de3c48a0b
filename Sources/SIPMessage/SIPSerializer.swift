extension SIPRequest {
    /// The wire form; Content-Length always states the body's size.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + body.count)
        bytes.append(contentsOf: "\(method) \(uri.description) SIP/2.0\r\n".utf8)
        SIPSerializer.appendHeaders(headers, body: body, to: &bytes)
        return bytes
    }
}

extension SIPResponse {
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + body.count)
        bytes.append(contentsOf: "SIP/2.0 \(status) \(reason)\r\n".utf8)
        SIPSerializer.appendHeaders(headers, body: body, to: &bytes)
        return bytes
    }
}

extension SIPMessage {
    public func serialized() -> [UInt8] {
        switch self {
        case .request(let request): return request.serialized()
        case .response(let response): return response.serialized()
        }
    }
}

enum SIPSerializer {
    static func appendHeaders(_ headers: SIPHeaders, body: [UInt8], to bytes: inout [UInt8]) {
        var wroteLength = false
        for field in headers.fields {
            if field.key == "content-length" {
                if wroteLength { continue }
                wroteLength = true
                bytes.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8)
                continue
            }
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: field.value.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        if !wroteLength { bytes.append(contentsOf: "Content-Length: \(body.count)\r\n".utf8) }
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: body)
    }
}
