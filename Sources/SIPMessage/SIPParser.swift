import TextTrimming
/// Reads one SIP message from bytes (RFC 3261 §7). Never traps: anything it cannot read is an
/// `.invalid` with a reason, and with the request's headers when there is enough of it to
/// answer `400 Bad Request`.
public enum SIPParser {
    public static let maximumMessageSize = 65_536
    public static let maximumHeaderCount = 256
    public static let maximumLineLength = 8_192

    public enum Framing: Sendable {
        /// UDP: the datagram is the message; a shorter body than Content-Length is an error
        /// and bytes past it are dropped (RFC 3261 §18.3).
        case datagram
        /// TCP: the framer already cut the message at Content-Length.
        case stream
    }

    public enum Result: Sendable {
        case message(SIPMessage)
        case invalid(SIPParseError, request: SIPRequest?)
    }

    public static func parse(_ bytes: [UInt8], framing: Framing = .datagram) -> Result {
        guard bytes.count <= maximumMessageSize else {
            return .invalid(SIPParseError("message larger than \(maximumMessageSize) bytes", status: 513), request: nil)
        }
        var start = 0
        while start + 1 < bytes.count, bytes[start] == 0x0D || bytes[start] == 0x0A { start += 1 }
        guard let (headerEnd, bodyStart) = findHeaderEnd(bytes, from: start) else {
            return .invalid(SIPParseError("no empty line after the headers"), request: nil)
        }
        var lines: [Range<Int>] = []
        var lineStart = start
        var index = start
        while index < headerEnd {
            if bytes[index] == 0x0A {
                var end = index
                if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
                guard end - lineStart <= maximumLineLength else {
                    return .invalid(SIPParseError("a header line is longer than \(maximumLineLength) bytes"), request: nil)
                }
                lines.append(lineStart..<end)
                lineStart = index + 1
            }
            index += 1
        }
        if lineStart < headerEnd {
            var end = headerEnd
            if bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(lineStart..<end)
        }
        guard let firstLine = lines.first, !firstLine.isEmpty else {
            return .invalid(SIPParseError("empty start line"), request: nil)
        }
        let startLine = String(decoding: bytes[firstLine], as: UTF8.self)

        let headers: SIPHeaders
        switch parseHeaders(bytes, lines: lines.dropFirst()) {
        case .success(let parsed): headers = parsed
        case .failure(let error): return .invalid(error, request: nil)
        }

        let isResponse = startLine.hasPrefix("SIP/")
        var partial: SIPRequest?
        var method = ""
        var uri: SIPURI?
        var status = 0
        var reason = ""
        do throws(SIPParseError) {
            if isResponse {
                (status, reason) = try parseStatusLine(startLine)
            } else {
                let parts = Self.splitOnSpaces(startLine, maxSplits: .max)
                guard parts.count == 3, SIPGrammar.isToken(parts[0]) else {
                    throw SIPParseError("bad request line")
                }
                method = String(parts[0])
                partial = SIPRequest(method: method, uri: SIPURI(host: "invalid"), headers: headers)
                guard SIPGrammar.equalsIgnoringCase(parts[2], "SIP/2.0") else {
                    throw SIPParseError("SIP version \(parts[2]) is not supported", status: 505)
                }
                let parsedURI = try SIPURI(String(parts[1]))
                guard parsedURI.isSIP || parsedURI.scheme == "tel" else {
                    throw SIPParseError("URI scheme \(parsedURI.scheme) is not supported", status: 416)
                }
                uri = parsedURI
            }
            let body = try extractBody(bytes, from: bodyStart, headers: headers, framing: framing)
            let essentials = try validate(headers, method: isResponse ? nil : method)
            if isResponse {
                var response = SIPResponse(status: status, reason: reason, headers: headers, body: body)
                response.essentials = essentials
                return .message(.response(response))
            }
            var request = SIPRequest(method: method, uri: uri!, headers: headers, body: body)
            request.essentials = essentials
            return .message(.request(request))
        } catch {
            return .invalid(error, request: partial)
        }
    }

    /// The index where the header section ends and where the body starts.
    static func findHeaderEnd(_ bytes: [UInt8], from start: Int) -> (Int, Int)? {
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return (index, index + 3) }
                if index + 1 == bytes.count || (index + 2 == bytes.count && bytes[index + 1] == 0x0D) {
                    return nil
                }
            }
            index += 1
        }
        return nil
    }

    static func parseStatusLine(_ line: String) throws(SIPParseError) -> (Int, String) {
        let parts = splitOnSpaces(line, maxSplits: 2)
        guard parts.count >= 2 else { throw SIPParseError("bad status line") }
        guard SIPGrammar.equalsIgnoringCase(parts[0], "SIP/2.0") else { throw SIPParseError("SIP version \(parts[0]) is not supported", status: 505) }
        guard parts[1].utf8.count == 3, let status = Int(parts[1]), (100...699).contains(status) else {
            throw SIPParseError("bad status code \"\(parts[1])\"")
        }
        return (status, parts.count == 3 ? String(parts[2]) : "")
    }

    /// A start line's parts, split on single spaces by bytes (not by characters).
    private static func splitOnSpaces(_ line: String, maxSplits: Int) -> [Substring] {
        line.utf8.split(separator: UInt8(ascii: " "), maxSplits: maxSplits, omittingEmptySubsequences: false).map { Substring($0) }
    }

    static func parseHeaders(_ bytes: [UInt8], lines: ArraySlice<Range<Int>>) -> Swift.Result<SIPHeaders, SIPParseError> {
        var headers = SIPHeaders()
        var pendingName: String?
        var pendingValue = ""
        func flush() -> SIPParseError? {
            guard let name = pendingName else { return nil }
            guard headers.count < maximumHeaderCount else { return SIPParseError("more than \(maximumHeaderCount) header fields") }
            headers.add(name, pendingValue)
            pendingName = nil
            return nil
        }
        for line in lines {
            guard !line.isEmpty else { continue }
            if bytes[line.lowerBound] == 0x20 || bytes[line.lowerBound] == 0x09 {
                guard pendingName != nil else { return .failure(SIPParseError("continuation line before any header")) }
                let folded = trimmed(bytes, line)
                if !folded.isEmpty { pendingValue += " " + String(decoding: bytes[folded], as: UTF8.self) }
                continue
            }
            if let error = flush() { return .failure(error) }
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else {
                return .failure(SIPParseError("header line without ':'"))
            }
            let name = trimmed(bytes, line.lowerBound..<colon)
            guard !name.isEmpty, bytes[name].allSatisfy(SIPGrammar.isTokenByte) else {
                return .failure(SIPParseError("bad header name \"\(String(decoding: bytes[line.lowerBound..<colon], as: UTF8.self))\""))
            }
            pendingName = String(decoding: bytes[name], as: UTF8.self)
            pendingValue = String(decoding: bytes[trimmed(bytes, (colon + 1)..<line.upperBound)], as: UTF8.self)
        }
        if let error = flush() { return .failure(error) }
        return .success(headers)
    }

    /// The range without its leading and trailing blanks.
    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }

    static func extractBody(_ bytes: [UInt8], from bodyStart: Int, headers: SIPHeaders, framing: Framing) throws(SIPParseError) -> [UInt8] {
        let available = bytes.count - bodyStart
        let lengths = headers.values("Content-Length")
        guard let text = lengths.first else {
            if framing == .stream, available > 0 { throw SIPParseError("Content-Length is required over a stream transport") }
            return Array(bytes[bodyStart...])
        }
        guard Set(lengths.map { $0.trimmed() }).count == 1 else {
            throw SIPParseError("conflicting Content-Length headers")
        }
        let trimmed = text.trimmed()
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let length = Int(trimmed),
              length <= maximumMessageSize else {
            throw SIPParseError("bad Content-Length \"\(text)\"")
        }
        guard length <= available else {
            throw SIPParseError("body shorter than Content-Length (\(available) < \(length))")
        }
        return Array(bytes[bodyStart..<(bodyStart + length)])
    }

    /// The headers without which no transaction can be matched or answered.
    static func validate(_ headers: SIPHeaders, method: String?) throws(SIPParseError) -> SIPEssentials {
        // One pass over the fields instead of a look-up (and a list) per header checked.
        var callID: String?, cseqText: String?, fromText: String?, toText: String?, viaText: String?, maxForwards: String?
        var callIDCount = 0, fromCount = 0, toCount = 0
        for field in headers {
            switch field.key {
            case "call-id": callIDCount += 1; if callID == nil { callID = field.value }
            case "cseq": if cseqText == nil { cseqText = field.value }
            case "from": fromCount += 1; if fromText == nil { fromText = field.value }
            case "to": toCount += 1; if toText == nil { toText = field.value }
            case "via": if viaText == nil { viaText = field.value }
            case "max-forwards": if maxForwards == nil { maxForwards = field.value }
            default: continue
            }
        }
        guard let callID, !callID.isEmpty else { throw SIPParseError("missing Call-ID header") }
        guard callIDCount == 1 else { throw SIPParseError("more than one Call-ID header") }
        guard let cseqText else { throw SIPParseError("missing CSeq header") }
        let cseq = try CSeq(cseqText)
        guard let fromText else { throw SIPParseError("missing From header") }
        guard let toText else { throw SIPParseError("missing To header") }
        guard fromCount == 1, toCount == 1 else {
            throw SIPParseError("more than one From or To header")
        }
        let from = try NameAddress(fromText)
        let to = try NameAddress(toText)
        guard let topViaText = viaText.flatMap(SIPGrammar.firstListElement) else { throw SIPParseError("missing Via header") }
        let topVia = try Via(topViaText)
        if let maxForwards {
            guard let value = Int(maxForwards.trimmed()), (0...255).contains(value) else {
                throw SIPParseError("bad Max-Forwards \"\(maxForwards)\"")
            }
        }
        if let method {
            guard cseq.method == method else { throw SIPParseError("CSeq method \(cseq.method) does not match \(method)") }
        }
        return SIPEssentials(topVia: topVia, cseq: cseq, callID: callID, from: from, to: to)
    }
}
