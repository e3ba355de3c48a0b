import TextTrimming
/// Cuts a TCP byte stream into messages by Content-Length (RFC 3261 §18.3). Bytes are kept
/// until a whole message is there; a stream that cannot be framed is an error, after which
/// the connection should be closed.
public struct SIPStreamFramer: Sendable {
    private var buffer: [UInt8] = []

    public init() {}

    public enum Output: Sendable, Equatable {
        case message([UInt8])
        /// A CRLF keep-alive (RFC 5626): answered with a single CRLF.
        case keepAlive
        case failure(String)
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func next() -> Output? {
        if buffer.starts(with: [0x0D, 0x0A, 0x0D, 0x0A]) {
            buffer.removeFirst(4)
            return .keepAlive
        }
        var leading = 0
        while leading < buffer.count, buffer[leading] == 0x0D || buffer[leading] == 0x0A { leading += 1 }
        if leading > 0 && leading == buffer.count { return nil }
        guard let (headerEnd, bodyStart) = ByteText.reading(buffer, { SIPParser.findHeaderEnd($0, from: leading) }) else {
            if buffer.count > SIPParser.maximumMessageSize { return .failure("no end of headers within \(SIPParser.maximumMessageSize) bytes") }
            return nil
        }
        var length = 0
        let header = String(decoding: buffer[leading..<headerEnd], as: UTF8.self)
        var found = false
        for line in header.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmed().lowercased()
            if name == "content-length" || name == "l" {
                guard let value = Int(line[line.index(after: colon)...].trimmed()), value >= 0,
                      value <= SIPParser.maximumMessageSize else {
                    return .failure("bad Content-Length")
                }
                length = value
                found = true
                break
            }
        }
        guard found else { return .failure("Content-Length is required over a stream transport") }
        let end = bodyStart + length
        guard buffer.count >= end else { return nil }
        let message = Array(buffer[leading..<end])
        buffer.removeFirst(end)
        return .message(message)
    }
}
