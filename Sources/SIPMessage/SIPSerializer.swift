extension SIPRequest {
    /// The wire form; Content-Length always states the body's size.
    public func serialized() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: wireCapacity) { buffer, count in
            count = write(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// At most the bytes of the wire form.
    public var wireCapacity: Int {
        method.utf8.count + 1 + uri.serializedCount + 10 + SIPSerializer.sectionSize(headers, bodyCount: body.count)
    }

    /// Writes the wire form into `buffer` (`wireCapacity` bytes or more) and returns its length.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var writer = WireWriter(buffer)
        writer.write(method)
        writer.write(UInt8(ascii: " "))
        uri.append(to: &writer)
        writer.write(literal: " SIP/2.0\r\n")
        SIPSerializer.appendSection(headers, body: body, to: &writer)
        return writer.count
    }
}

extension SIPResponse {
    public func serialized() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: wireCapacity) { buffer, count in
            count = write(into: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// At most the bytes of the wire form.
    public var wireCapacity: Int {
        8 + SIPSerializer.decimalCount(status) + 1 + reason.utf8.count + 2 + SIPSerializer.sectionSize(headers, bodyCount: body.count)
    }

    /// Writes the wire form into `buffer` (`wireCapacity` bytes or more) and returns its length.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var writer = WireWriter(buffer)
        writer.write(literal: "SIP/2.0 ")
        SIPSerializer.appendDecimal(status, to: &writer)
        writer.write(UInt8(ascii: " "))
        writer.write(reason)
        writer.write(literal: "\r\n")
        SIPSerializer.appendSection(headers, body: body, to: &writer)
        return writer.count
    }
}

extension SIPMessage {
    public func serialized() -> [UInt8] {
        switch self {
        case .request(let request): return request.serialized()
        case .response(let response): return response.serialized()
        }
    }

    /// At most the bytes of the wire form: room to write it in place (a datagram's slot in a send queue).
    public var wireCapacity: Int {
        switch self {
        case .request(let request): return request.wireCapacity
        case .response(let response): return response.wireCapacity
        }
    }

    /// Writes the wire form into `buffer` (`wireCapacity` bytes or more) and returns its length.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        switch self {
        case .request(let request): return request.write(into: buffer)
        case .response(let response): return response.write(into: buffer)
        }
    }
}

/// Writes a message into one buffer of the size it reckons first: no intermediate strings, no regrowth.
enum SIPSerializer {
    /// The bytes `appendSection` writes: the header fields, one Content-Length line, the empty line and the body.
    static func sectionSize(_ headers: SIPHeaders, bodyCount: Int) -> Int {
        let contentLength = 18 + decimalCount(bodyCount)
        var size = 2 + bodyCount
        var wroteLength = false
        // Through the buffer: the fields are read where they are, not copied (and retained) one by one.
        headers.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                if fields[index].common == .contentLength {
                    if !wroteLength { size += contentLength }
                    wroteLength = true
                } else {
                    size += fields[index].name.utf8.count + fields[index].utf8Count + 4
                }
            }
        }
        return wroteLength ? size : size + contentLength
    }

    /// The header fields (a Content-Length in place of the first one received, stating the
    /// body's size), the empty line and the body.
    static func appendSection(_ headers: SIPHeaders, body: [UInt8], to writer: inout WireWriter) {
        var wroteLength = false
        headers.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                if fields[index].common == .contentLength {
                    if wroteLength { continue }
                    wroteLength = true
                    appendContentLength(body.count, to: &writer)
                    continue
                }
                fields[index].write(to: &writer)
            }
        }
        if !wroteLength { appendContentLength(body.count, to: &writer) }
        writer.write(literal: "\r\n")
        body.withUnsafeBytes { writer.write($0) }
    }

    private static func appendContentLength(_ length: Int, to writer: inout WireWriter) {
        writer.write(literal: "Content-Length: ")
        appendDecimal(length, to: &writer)
        writer.write(literal: "\r\n")
    }

    /// `host` and, when there is one, `:port`.
    static func appendHostPort(_ host: String, _ port: Int?, to bytes: inout some ByteSink) {
        bytes.write(host)
        if let port {
            bytes.write(UInt8(ascii: ":"))
            appendDecimal(port, to: &bytes)
        }
    }

    /// A negative value is written as `0`.
    static func appendDecimal(_ value: Int, to bytes: inout some ByteSink) {
        guard value >= 10 else {
            bytes.write(UInt8(ascii: "0") + UInt8(max(value, 0)))
            return
        }
        appendDecimal(value / 10, to: &bytes)
        bytes.write(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The digits `appendDecimal` writes.
    static func decimalCount(_ value: Int) -> Int {
        var digits = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return digits
    }
}
