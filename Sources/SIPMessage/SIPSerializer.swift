extension SIPRequest {
    /// The wire form; Content-Length always states the body's size.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SIPSerializer.headersSize(headers) + body.count + 64 + method.utf8.count + 2 * uri.host.utf8.count)
        bytes.append(contentsOf: method.utf8)
        bytes.append(UInt8(ascii: " "))
        uri.append(to: &bytes)
        bytes.append(contentsOf: " SIP/2.0\r\n".utf8)
        SIPSerializer.appendHeaders(headers, body: body, to: &bytes)
        return bytes
    }
}

extension SIPResponse {
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(SIPSerializer.headersSize(headers) + body.count + 64 + reason.utf8.count)
        bytes.append(contentsOf: "SIP/2.0 ".utf8)
        SIPSerializer.appendDecimal(status, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: reason.utf8)
        bytes.append(contentsOf: "\r\n".utf8)
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

/// Writes straight into one buffer sized up front: no intermediate strings, no regrowth.
enum SIPSerializer {
    /// The bytes the header fields take, with a Content-Length line.
    static func headersSize(_ headers: SIPHeaders) -> Int {
        // Through the buffer: the fields are read where they are, not copied (and retained) one by one.
        headers.fields.withUnsafeBufferPointer { fields in
            fields.indices.reduce(32) { $0 + fields[$1].name.utf8.count + fields[$1].text.utf8.count + 4 }
        }
    }

    static func appendHeaders(_ headers: SIPHeaders, body: [UInt8], to bytes: inout [UInt8]) {
        var wroteLength = false
        headers.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                if fields[index].has(key: "content-length") {
                    if wroteLength { continue }
                    wroteLength = true
                    appendContentLength(body.count, to: &bytes)
                    continue
                }
                append(fields[index].name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(UInt8(ascii: " "))
                append(fields[index].text, to: &bytes)
                bytes.append(UInt8(ascii: "\r"))
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        if !wroteLength { appendContentLength(body.count, to: &bytes) }
        bytes.append(contentsOf: "\r\n".utf8)
        bytes.append(contentsOf: body)
    }

    /// A string's bytes, copied from its own storage.
    static func append(_ text: some StringProtocol, to bytes: inout [UInt8]) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    private static func appendContentLength(_ length: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: "Content-Length: ".utf8)
        appendDecimal(length, to: &bytes)
        bytes.append(contentsOf: "\r\n".utf8)
    }

    /// `host` and, when there is one, `:port`.
    static func appendHostPort(_ host: String, _ port: Int?, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: host.utf8)
        if let port {
            bytes.append(UInt8(ascii: ":"))
            appendDecimal(port, to: &bytes)
        }
    }

    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value >= 10 else {
            bytes.append(UInt8(ascii: "0") + UInt8(max(value, 0)))
            return
        }
        appendDecimal(value / 10, to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
