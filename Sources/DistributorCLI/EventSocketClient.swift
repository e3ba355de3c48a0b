#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking event socket client: what `fs_cli -x` does.
struct EventSocketClient {
    struct Message {
        var headers: [String: String]
        var body: String

        var contentType: String { headers["content-type"] ?? "" }
    }

    enum ClientError: Error, CustomStringConvertible {
        case connect(String)
        case closed
        case refused(String)

        var description: String {
            switch self {
            case .connect(let reason): return "cannot connect: \(reason)"
            case .closed: return "the event socket closed the connection"
            case .refused(let reply): return "refused: \(reply)"
            }
        }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let info = results else {
            throw ClientError.connect("cannot resolve \(host)")
        }
        defer { freeaddrinfo(results) }
        let socketDescriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, 0)
        guard socketDescriptor >= 0, connect(socketDescriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            if socketDescriptor >= 0 { Glibc.close(socketDescriptor) }
            throw ClientError.connect("\(host):\(port): \(reason)")
        }
        descriptor = socketDescriptor
    }

    func close() { _ = Glibc.close(descriptor) }

    /// Reads the greeting and authenticates.
    mutating func authenticate(password: String) throws {
        let greeting = try read()
        guard greeting.contentType == "auth/request" else { throw ClientError.refused(greeting.body.isEmpty ? greeting.contentType : greeting.body) }
        try send("auth \(password)\n\n")
        let reply = try read()
        guard reply.headers["reply-text"]?.hasPrefix("+OK") == true else { throw ClientError.refused(reply.headers["reply-text"] ?? "no reply") }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw ClientError.closed }
            offset += written
        }
    }

    /// The next message: headers up to an empty line, then Content-Length bytes of body.
    mutating func read() throws -> Message {
        while true {
            if let end = headerEnd() {
                let headerText = String(decoding: buffer[..<end], as: UTF8.self)
                var headers: [String: String] = [:]
                for line in headerText.split(separator: "\n") {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " })
                }
                let length = headers["content-length"].flatMap { Int($0) } ?? 0
                if buffer.count >= end + 2 + length {
                    let body = String(decoding: buffer[(end + 2)..<(end + 2 + length)], as: UTF8.self)
                    buffer.removeFirst(end + 2 + length)
                    return Message(headers: headers, body: body)
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { throw ClientError.closed }
            buffer += chunk[..<count]
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 2 else { return nil }
        for index in 0..<(buffer.count - 1) where buffer[index] == 0x0A && buffer[index + 1] == 0x0A {
            return index
        }
        return nil
    }
}
