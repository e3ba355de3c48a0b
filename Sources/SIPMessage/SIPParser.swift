#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        bytes.withUnsafeBytes { parse($0, framing: framing) }
    }

    /// The message in bytes it only borrows: what it returns owns copies of what it keeps.
    public static func parse(_ bytes: UnsafeRawBufferPointer, framing: Framing = .datagram) -> Result {
        guard bytes.count <= maximumMessageSize else {
            return .invalid(SIPParseError("message larger than \(maximumMessageSize) bytes", status: 513), request: nil)
        }
        return ByteText.reading(bytes) { bytes in parse(bytes, framing: framing) }
    }

    private static func parse(_ bytes: ByteText, framing: Framing) -> Result {
        var start = 0
        while start + 1 < bytes.count, bytes[start] == 0x0D || bytes[start] == 0x0A { start += 1 }
        guard let (headerEnd, bodyStart) = findHeaderEnd(bytes, from: start) else {
            return .invalid(SIPParseError("no empty line after the headers"), request: nil)
        }
        var section = HeaderSection()
        if let error = readHeaderSection(bytes, start..<headerEnd, into: &section) { return .invalid(error, request: nil) }
        let line = section.startLine
        var method: String?
        do throws(SIPParseError) {
            if bytes[line].starts(with: responsePrefix) {
                let (status, reason) = try parseStatusLine(bytes, line)
                let body = try extractBody(bytes, from: bodyStart, section: section, framing: framing)
                var response = SIPResponse(status: status, reason: reason, headers: section.headers, body: body)
                response.essentials = try validate(section, in: bytes, method: nil)
                return .message(.response(response))
            }
            // Exactly three parts separated by single spaces.
            guard let firstSpace = bytes.firstIndex(of: 0x20, in: line),
                  let secondSpace = bytes.firstIndex(of: 0x20, in: (firstSpace + 1)..<line.upperBound),
                  !bytes[(secondSpace + 1)..<line.upperBound].contains(0x20),
                  firstSpace > line.lowerBound, bytes[line.lowerBound..<firstSpace].allSatisfy(SIPGrammar.isTokenByte) else {
                throw SIPParseError("bad request line")
            }
            method = String(decoding: bytes[line.lowerBound..<firstSpace], as: UTF8.self)
            guard bytes.equals((secondSpace + 1)..<line.upperBound, ignoringCase: "SIP/2.0") else {
                throw SIPParseError("SIP version \(bytes.string((secondSpace + 1)..<line.upperBound)) is not supported", status: 505)
            }
            let uri = try SIPURI(bytes, (firstSpace + 1)..<secondSpace)
            guard uri.isSIP || uri.scheme == "tel" else {
                throw SIPParseError("URI scheme \(uri.scheme) is not supported", status: 416)
            }
            let body = try extractBody(bytes, from: bodyStart, section: section, framing: framing)
            var request = SIPRequest(method: method!, uri: uri, headers: section.headers, body: body)
            request.essentials = try validate(section, in: bytes, method: method)
            return .message(.request(request))
        } catch {
            return .invalid(error, request: method.map { SIPRequest(method: $0, uri: SIPURI(host: "invalid"), headers: section.headers) })
        }
    }

    private static let responsePrefix = Array("SIP/".utf8)

    /// The header section read in one pass: the start line's place, the fields, and where the
    /// first value of each header the parser checks lies (in the message, or folded into a text).
    struct HeaderSection {
        /// Plain values, so the section costs nothing to take apart: a folded value is in `foldedValues`.
        enum Place {
            case inMessage(Range<Int>)
            case folded(Int)
        }

        var startLine: Range<Int> = 0..<0
        var headers = SIPHeaders()
        var callID: String?
        var callIDCount = 0
        var cseq: Place?
        var from: Place?
        var fromCount = 0
        var to: Place?
        var toCount = 0
        var via: Place?
        var foldedValues: [String] = []
        var maxForwards: SIPHeaders.Field?
        var contentLength: SIPHeaders.Field?
        var conflictingLengths = false

        mutating func note(_ field: SIPHeaders.Field, at value: Place) {
            switch field.common {
            case .callID: callIDCount += 1; if callID == nil { callID = field.value }
            case .cseq: if cseq == nil { cseq = value }
            case .from: fromCount += 1; if from == nil { from = value }
            case .to: toCount += 1; if to == nil { to = value }
            case .via: if via == nil { via = value }
            case .maxForwards: if maxForwards == nil { maxForwards = field }
            case .contentLength:
                if let contentLength {
                    if !contentLength.hasTrimmedValue(of: field) { conflictingLengths = true }
                } else {
                    contentLength = field
                }
            default: break
            }
        }
    }

    /// Reads the lines of `section` (start line and header fields) without splitting them first.
    static func readHeaderSection(_ bytes: ByteText, _ section: Range<Int>, into read: inout HeaderSection) -> SIPParseError? {
        // Most messages have fewer fields: growing the array one field at a time would reallocate it several times.
        read.headers.reserveCapacity(16)
        // One string for the whole section, which every value is a slice of; byte positions
        // are its positions only when no invalid UTF-8 had to be replaced, else each value is
        // a string of its own, repaired by itself.
        let sectionText = Self.exactText(bytes[section])
        func slice(_ name: String, _ common: CommonHeader, _ range: Range<Int>) -> SIPHeaders.Field {
            guard let sectionText else {
                let repaired = bytes.string(range)
                return SIPHeaders.Field(name: name, common: common, section: repaired, range: 0..<repaired.utf8.count)
            }
            return SIPHeaders.Field(name: name, common: common, section: sectionText,
                                    range: (range.lowerBound - section.lowerBound)..<(range.upperBound - section.lowerBound))
        }
        // The field being read: its name, where its value lies, and its unfolded value once a
        // continuation line came. Kept in plain variables, so that handing it on copies nothing.
        var hasPending = false
        var pendingName = ""
        var pendingCommon = CommonHeader.other
        var pendingValue = 0..<0
        var pendingFolded: String?
        func flush() -> SIPParseError? {
            guard hasPending else { return nil }
            hasPending = false
            guard read.headers.count < maximumHeaderCount else { return SIPParseError("more than \(maximumHeaderCount) header fields") }
            let field: SIPHeaders.Field
            if let folded = pendingFolded {
                pendingFolded = nil
                field = SIPHeaders.Field(name: pendingName, common: pendingCommon, section: folded, range: 0..<folded.utf8.count)
                read.foldedValues.append(folded)
                read.note(field, at: .folded(read.foldedValues.count - 1))
            } else {
                field = slice(pendingName, pendingCommon, pendingValue)
                read.note(field, at: .inMessage(pendingValue))
            }
            read.headers.append(field)
            return nil
        }
        var lineStart = section.lowerBound
        var isStartLine = true
        while lineStart < section.upperBound {
            let newline = bytes.firstIndex(of: 0x0A, in: lineStart..<section.upperBound) ?? section.upperBound
            var end = newline
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            let line = lineStart..<end
            lineStart = newline + 1
            guard line.count <= maximumLineLength else {
                return SIPParseError("a header line is longer than \(maximumLineLength) bytes")
            }
            if isStartLine {
                guard !line.isEmpty else { return SIPParseError("empty start line") }
                read.startLine = line
                isStartLine = false
                continue
            }
            guard !line.isEmpty else { continue }
            if bytes[line.lowerBound] == 0x20 || bytes[line.lowerBound] == 0x09 {
                guard hasPending else { return SIPParseError("continuation line before any header") }
                let folded = trimmed(bytes, line)
                if !folded.isEmpty {
                    pendingFolded = (pendingFolded ?? String(decoding: bytes[pendingValue], as: UTF8.self)) + " " + String(decoding: bytes[folded], as: UTF8.self)
                }
                continue
            }
            if let error = flush() { return error }
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":"), in: line) else {
                return SIPParseError("header line without ':'")
            }
            let nameRange = trimmed(bytes, line.lowerBound..<colon)
            let value = trimmed(bytes, (colon + 1)..<line.upperBound)
            if let known = SIPHeaderName.known(bytes, nameRange) {
                (pendingName, pendingCommon) = known
            } else {
                guard !nameRange.isEmpty, bytes[nameRange].allSatisfy(SIPGrammar.isTokenByte) else {
                    return SIPParseError("bad header name \"\(String(decoding: bytes[line.lowerBound..<colon], as: UTF8.self))\"")
                }
                pendingName = SIPHeaderName.canonical(String(decoding: bytes[nameRange], as: UTF8.self))
                pendingCommon = CommonHeader(key: pendingName.lowercased())
            }
            pendingValue = value
            hasPending = true
        }
        if isStartLine { return SIPParseError("empty start line") }
        if let error = flush() { return error }
        return nil
    }

    /// The bytes as a string when they are valid UTF-8 as they are, else nil. Decoded with
    /// repair and compared back: `String(validating:)` took its generic path, several times
    /// the cost of decoding, which checks the common all-ASCII text a word at a time.
    static func exactText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let exact = text.withUTF8 { decoded in
            decoded.count == bytes.count && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return exact ? text : nil
    }

    /// The index where the header section ends and where the body starts.
    static func findHeaderEnd(_ bytes: ByteText, from start: Int) -> (Int, Int)? {
        var from = start
        while let index = bytes.firstIndex(of: 0x0A, in: from..<bytes.count) {
            if index + 1 < bytes.count, bytes[index + 1] == 0x0A { return (index, index + 2) }
            if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { return (index, index + 3) }
            if index + 1 == bytes.count || (index + 2 == bytes.count && bytes[index + 1] == 0x0D) {
                return nil
            }
            from = index + 1
        }
        return nil
    }

    static func parseStatusLine(_ text: ByteText, _ line: Range<Int>) throws(SIPParseError) -> (Int, String) {
        guard let firstSpace = text.firstIndex(of: 0x20, in: line) else { throw SIPParseError("bad status line") }
        guard text.equals(line.lowerBound..<firstSpace, ignoringCase: "SIP/2.0") else {
            throw SIPParseError("SIP version \(text.string(line.lowerBound..<firstSpace)) is not supported", status: 505)
        }
        let codeEnd = text.firstIndex(of: 0x20, in: (firstSpace + 1)..<line.upperBound) ?? line.upperBound
        let code = (firstSpace + 1)..<codeEnd
        guard code.count == 3, text[code].allSatisfy({ (0x30...0x39).contains($0) }),
              case let status = text[code].reduce(0, { $0 * 10 + Int($1 - 0x30) }), (100...699).contains(status) else {
            throw SIPParseError("bad status code \"\(text.string(code))\"")
        }
        return (status, codeEnd < line.upperBound ? text.string((codeEnd + 1)..<line.upperBound) : "")
    }

    /// The range without its leading and trailing blanks.
    @inline(__always)
    static func trimmed(_ bytes: ByteText, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
        while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
        return lower..<upper
    }

    static func extractBody(_ bytes: ByteText, from bodyStart: Int, section: HeaderSection, framing: Framing) throws(SIPParseError) -> [UInt8] {
        let available = bytes.count - bodyStart
        guard let field = section.contentLength else {
            if framing == .stream, available > 0 { throw SIPParseError("Content-Length is required over a stream transport") }
            return Array(bytes[bodyStart..<bytes.count])
        }
        guard !section.conflictingLengths else {
            throw SIPParseError("conflicting Content-Length headers")
        }
        guard let length = field.decimalValue, length <= maximumMessageSize else {
            throw SIPParseError("bad Content-Length \"\(field.value)\"")
        }
        guard length <= available else {
            throw SIPParseError("body shorter than Content-Length (\(available) < \(length))")
        }
        return Array(bytes[bodyStart..<(bodyStart + length)])
    }

    /// The headers without which no transaction can be matched or answered.
    static func validate(_ section: HeaderSection, in message: ByteText, method: String?) throws(SIPParseError) -> SIPEssentials {
        /// `body` on the value at `place`: in the message, or in the text a folded value was unfolded into.
        func reading<Value>(_ place: HeaderSection.Place, _ body: (ByteText, Range<Int>) throws(SIPParseError) -> Value) throws(SIPParseError) -> Value {
            switch place {
            case .inMessage(let range): return try body(message, range)
            case .folded(let index): return try ByteText.reading(section.foldedValues[index]) { text throws(SIPParseError) in try body(text, text.all) }
            }
        }
        /// A request's From or To is checked whole, so that a malformed one is answered 400; a
        /// response's is read for its tag alone, all a client transaction and a dialog match it
        /// by (its URI is read when asked for, by `from` and `to`).
        func tag(_ text: ByteText, _ range: Range<Int>) throws(SIPParseError) -> String? {
            method == nil ? try NameAddress.tag(in: text, range) : try NameAddress.scanTag(text, range)
        }
        guard let callID = section.callID, !callID.isEmpty else { throw SIPParseError("missing Call-ID header") }
        guard section.callIDCount == 1 else { throw SIPParseError("more than one Call-ID header") }
        guard let cseqPlace = section.cseq else { throw SIPParseError("missing CSeq header") }
        let cseq = try reading(cseqPlace) { text, range throws(SIPParseError) in try CSeq(text, range) }
        guard let fromPlace = section.from else { throw SIPParseError("missing From header") }
        guard let toPlace = section.to else { throw SIPParseError("missing To header") }
        guard section.fromCount == 1, section.toCount == 1 else {
            throw SIPParseError("more than one From or To header")
        }
        let fromTag = try reading(fromPlace, tag)
        let toTag = try reading(toPlace, tag)
        guard let viaPlace = section.via else { throw SIPParseError("missing Via header") }
        let via = try reading(viaPlace) { text, range throws(SIPParseError) in
            let topVia = text.firstListElement(range)
            guard !topVia.isEmpty else { throw SIPParseError("missing Via header") }
            return try Via(text, topVia)
        }
        if let maxForwards = section.maxForwards {
            guard let value = maxForwards.decimalValue, value <= 255 else {
                throw SIPParseError("bad Max-Forwards \"\(maxForwards.value)\"")
            }
        }
        if let method {
            guard cseq.method == method else { throw SIPParseError("CSeq method \(cseq.method) does not match \(method)") }
        }
        return SIPEssentials(topVia: via, cseq: cseq, callID: callID, fromTag: fromTag, toTag: toTag)
    }
}
