#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import SIPMessage
import SIPTransport

/// Turns a gateway's `host[:port]` (or SIP URI) into an address, resolving host names with the
/// system resolver (A and AAAA records).
public enum GatewayAddressResolver {
    public static func resolve(_ target: String, transport: SIPPeer.Transport) -> SIPPeer? {
        let text = target.lowercased().hasPrefix("sip:") || target.lowercased().hasPrefix("sips:") ? target : "sip:" + target
        guard let uri = try? SIPURI(text) else { return nil }
        let (host, port) = uri.hostPort
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            return SIPPeer(transport: transport, address: address)
        }
        var hints = addrinfo()
        hints.ai_socktype = transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else { return nil }
        defer { freeaddrinfo(results) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            if let address = info.pointee.ai_addr, let socketAddress = try? SocketAddress(address, length: Int(info.pointee.ai_addrlen)) {
                return SIPPeer(transport: transport, address: socketAddress)
            }
            candidate = info.pointee.ai_next
        }
        return nil
    }
}

extension SocketAddress {
    init(_ address: UnsafeMutablePointer<sockaddr>, length: Int) throws {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            self = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
        case AF_INET6:
            self = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
        default:
            throw SocketAddressError.unsupported
        }
    }
}
