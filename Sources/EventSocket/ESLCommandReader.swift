/// Reads client commands from the byte stream: header lines ending in `\n` (a `\r` is
/// ignored), an empty line, and a body when a `Content-Length` header says so.
public struct ESLCommandReader: Sendable {
    public struct Command: Sendable, Hashable {
        public let line: String
        public let headers: [String: String]
        public let body: String
    }

    private var buffer: [UInt8] = []
    public static let maximumSize = 1 << 20

    public init() {}

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// nil when more bytes are needed; throws when the client sent more than a command can hold.
    public mutating func next() throws -> Command? {
        guard buffer.count <= Self.maximumSize else { throw ReaderError.tooLarge }
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < buffer.count {
            if buffer[index] == 0x0A {
                var end = index
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = index + 1
                if line.isEmpty {
                    if lines.isEmpty { index += 1; continue }
                    var headers: [String: String] = [:]
                    for header in lines.dropFirst() {
                        guard let colon = header.firstIndex(of: ":") else { continue }
                        headers[header[..<colon].lowercased()] = String(header[header.index(after: colon)...].drop { $0 == " " })
                    }
                    let length = headers["content-length"].flatMap { Int($0) } ?? 0
                    guard buffer.count - start >= length else { return nil }
                    let body = String(decoding: buffer[start..<(start + length)], as: UTF8.self)
                    buffer.removeFirst(start + length)
                    return Command(line: lines[0], headers: headers, body: body)
                }
                lines.append(line)
            }
            index += 1
        }
        return nil
    }

    public enum ReaderError: Error { case tooLarge }
}
