import Foundation

/// A raw TCP client for the event socket that reads exactly what the server sends.
public final class ESLTestClient {
    let descriptor: Int32

    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    public func send(_ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), 0) }
    }

    /// What arrives until `expected` bytes are in, or the timeout.
    public func read(_ expected: Int) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < expected {
            let count = recv(descriptor, &chunk, min(chunk.count, expected - bytes.count), 0)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads one message: headers to the empty line, then Content-Length bytes.
    public func message() -> (headers: String, body: String) {
        var headers = ""
        while !headers.hasSuffix("\n\n") {
            let next = read(1)
            if next.isEmpty { break }
            headers += next
        }
        let length = headers.split(separator: "\n").first { $0.hasPrefix("Content-Length: ") }
            .flatMap { Int($0.dropFirst("Content-Length: ".count)) } ?? 0
        return (headers, length > 0 ? read(length) : "")
    }

    /// Connects, authenticates with ClueCon, and answers `api` commands.
    public static func authenticated(port: Int, password: String = "ClueCon") throws -> ESLTestClient {
        let client = try ESLTestClient(port: port)
        _ = client.message()
        client.send("auth \(password)\n\n")
        _ = client.message()
        return client
    }

    public func api(_ command: String) -> String {
        send("api \(command)\n\n")
        return message().body
    }
}
