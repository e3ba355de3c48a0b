#if canImport(Glibc)
import Glibc
#endif
import CReusePort
import NIOCore

/// The UDP sockets of one listener, one per event loop, all bound to the same address with
/// SO_REUSEPORT. The kernel hands each datagram to a random one of them, so that a single
/// busy peer spreads its work over every core instead of the one its address hashes to.
public enum UDPSocketGroup {
    public struct BindError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `count` bound sockets; with port 0 the first picks the port and the rest share it.
    /// `spread` is false when the kernel would not take the random spread (it then hashes
    /// each sender to one socket).
    public static func bind(host: String, port: Int, count: Int, receiveBuffer: Int) throws -> (sockets: [CInt], spread: Bool) {
        var address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        if port != 0 {
            // SO_REUSEPORT would let a second service join this one's group and take half its
            // datagrams; a socket without it cannot bind while any other socket holds the port.
            _ = close(try open(address, receiveBuffer: 0, reusePort: false))
        }
        var sockets: [CInt] = []
        do {
            for _ in 0..<count {
                let socket = try open(address, receiveBuffer: receiveBuffer, reusePort: true)
                sockets.append(socket)
                if address.port == 0 { address = try SocketAddress.makeAddressResolvingHost(host, port: try boundPort(of: socket)) }
            }
        } catch {
            sockets.forEach { _ = close($0) }
            throw error
        }
        let spread = count > 1 && reuseport_spread_randomly(sockets[0], CUnsignedInt(count)) == 0
        return (sockets, spread)
    }

    private static func open(_ address: SocketAddress, receiveBuffer: Int, reusePort: Bool) throws -> CInt {
        let socket = Glibc.socket(address.protocol.rawValue, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw BindError(description: "socket(): \(String(cString: strerror(errno)))") }
        var one: CInt = 1
        var size = CInt(receiveBuffer)
        if reusePort { setsockopt(socket, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<CInt>.size)) }
        if receiveBuffer > 0 {
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
            // As much room to send: replies leave in bursts, and a full buffer drops them.
            setsockopt(socket, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        }
        let bound = address.withSockAddr { pointer, length in Glibc.bind(socket, pointer, socklen_t(length)) }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            _ = close(socket)
            throw BindError(description: "bind(\(address)): \(reason)")
        }
        return socket
    }

    /// The receive buffer the kernel granted `socket`, as asked for: it reports twice that,
    /// counting its own overhead, and grants no more than `net.core.rmem_max`.
    public static func receiveBufferSize(of socket: CInt) -> Int {
        var size: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, &length) == 0 else { return 0 }
        return Int(size) / 2
    }

    private static func boundPort(of socket: CInt) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard result == 0 else { throw BindError(description: "getsockname(): \(String(cString: strerror(errno)))") }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }
}
