import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port free for both UDP and TCP right now, picked by the kernel.
public enum FreePort {
    public static func udpAndTCP() throws -> Int {
        for _ in 0..<50 {
            guard let port = bind(type: Int32(SOCK_DGRAM.rawValue), port: 0) else { continue }
            if bind(type: Int32(SOCK_STREAM.rawValue), port: port) != nil { return port }
        }
        throw FreePortError.noneFound
    }

    enum FreePortError: Error { case noneFound }

    /// Whether a socket is bound to UDP `port` or listens on TCP `port` (IPv4), read from
    /// /proc/net without binding the port: a probing bind could take it from the server
    /// being waited for at the moment that server binds.
    public static func isInUse(_ port: Int) -> Bool {
        let suffix = ":" + String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        func holds(_ table: String, listening: Bool) -> Bool {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { return false }
            return text.split(separator: "\n").dropFirst().contains { line in
                let columns = line.split(separator: " ")
                // local_address is the second column, st (0A: LISTEN) the fourth.
                return columns.count > 3 && columns[1].hasSuffix(suffix) && (!listening || columns[3] == "0A")
            }
        }
        return holds("/proc/net/udp", listening: false) || holds("/proc/net/tcp", listening: true)
    }

    /// Binds a socket of `type` to 127.0.0.1:`port`, closes it, and answers the port it got.
    private static func bind(type: Int32, port: Int) -> Int? {
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
