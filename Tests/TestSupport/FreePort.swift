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

    /// Whether something holds UDP `port` on 127.0.0.1 (a server started in the background is listening).
    public static func isTakenUDP(_ port: Int) -> Bool {
        bind(type: Int32(SOCK_DGRAM.rawValue), port: port) == nil
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
