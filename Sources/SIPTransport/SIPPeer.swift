#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The other end of a message: where it came from or where it goes, and over what.
public struct SIPPeer: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: String, Hashable, Sendable {
        case udp = "UDP"
        case tcp = "TCP"

        public var isReliable: Bool { self == .tcp }
    }

    public let transport: Transport
    private let socket: Socket

    /// The address as the kernel has it, kept in the peer itself: NIO's `SocketAddress` holds
    /// it in a shared box, which every copy of a peer (in each transaction, event and dialog)
    /// retained, from both threads, on the same few objects (one per gateway).
    private enum Socket: Sendable {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
        case other(SocketAddress)
    }

    public init(transport: Transport, address: SocketAddress) {
        self.transport = transport
        switch address {
        case .v4(let v4): socket = .v4(v4.address)
        case .v6(let v6): socket = .v6(v6.address)
        default: socket = .other(address)
        }
    }

    public init(transport: Transport, host: String, port: Int) throws {
        self.init(transport: transport, address: try SocketAddress(ipAddress: host, port: port))
    }

    public var address: SocketAddress {
        switch socket {
        case .v4(let v4): return SocketAddress(v4, host: ipAddress ?? "")
        case .v6(let v6): return SocketAddress(v6)
        case .other(let address): return address
        }
    }

    public var port: Int? {
        switch socket {
        case .v4(let v4): return Int(UInt16(bigEndian: v4.sin_port))
        case .v6(let v6): return Int(UInt16(bigEndian: v6.sin6_port))
        case .other(let address): return address.port
        }
    }

    /// `body` with the address as a `sockaddr` and its length, for a system call.
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, Int) throws -> Result) rethrows -> Result {
        switch socket {
        case .v4(var v4):
            return try withUnsafePointer(to: &v4) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, MemoryLayout<sockaddr_in>.size) } }
        case .v6(var v6):
            return try withUnsafePointer(to: &v6) { try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, MemoryLayout<sockaddr_in6>.size) } }
        case .other(let address):
            return try address.withSockAddr(body)
        }
    }

    public static func == (lhs: SIPPeer, rhs: SIPPeer) -> Bool {
        guard lhs.transport == rhs.transport else { return false }
        switch (lhs.socket, rhs.socket) {
        case (.v4(let a), .v4(let b)): return a.sin_port == b.sin_port && a.sin_addr.s_addr == b.sin_addr.s_addr
        case (.v6(let a), .v6(let b)):
            return a.sin6_port == b.sin6_port && a.sin6_scope_id == b.sin6_scope_id
                && withUnsafeBytes(of: a.sin6_addr) { left in withUnsafeBytes(of: b.sin6_addr) { right in left.elementsEqual(right) } }
        case (.other(let a), .other(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(transport)
        switch socket {
        case .v4(let v4):
            hasher.combine(v4.sin_port)
            hasher.combine(v4.sin_addr.s_addr)
        case .v6(let v6):
            hasher.combine(v6.sin6_port)
            withUnsafeBytes(of: v6.sin6_addr) { hasher.combine(bytes: $0) }
        case .other(let address):
            hasher.combine(address)
        }
    }

    public var description: String { "\(transport.rawValue.lowercased()):\(ipAddress ?? "?"):\(port ?? 0)" }

    /// The address as text. IPv4 is written here: NIO's `ipAddress` goes through inet_ntop,
    /// whose sprintf costs more than parsing a header field, and every request asks for it.
    public var ipAddress: String? {
        guard case .v4(let v4) = socket else { return address.ipAddress }
        let value = UInt32(bigEndian: v4.sin_addr.s_addr)
        return String(unsafeUninitializedCapacity: 15) { text in
            var at = 0
            for shift: UInt32 in [24, 16, 8, 0] {
                let octet = UInt8(truncatingIfNeeded: value >> shift)
                if shift != 24 {
                    text[at] = UInt8(ascii: ".")
                    at += 1
                }
                if octet >= 100 {
                    text[at] = UInt8(ascii: "0") + octet / 100
                    at += 1
                }
                if octet >= 10 {
                    text[at] = UInt8(ascii: "0") + octet / 10 % 10
                    at += 1
                }
                text[at] = UInt8(ascii: "0") + octet % 10
                at += 1
            }
            return at
        }
    }

    /// The source address alone, as the rate limiter keys it.
    var sourceKey: SourceKey {
        switch socket {
        case .v4(let v4):
            return SourceKey(high: 0, low: UInt64(v4.sin_addr.s_addr))
        case .v6(let v6):
            let words = withUnsafeBytes(of: v6.sin6_addr) { ($0.load(as: UInt64.self), $0.load(fromByteOffset: 8, as: UInt64.self)) }
            return SourceKey(high: words.0, low: words.1)
        case .other:
            return SourceKey(high: 0, low: 0)
        }
    }

    /// The address's 4 or 16 bytes, in network order.
    public var ipAddressBytes: [UInt8]? {
        switch socket {
        case .v4(let v4): return withUnsafeBytes(of: v4.sin_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.sin6_addr) { Array($0) }
        case .other: return nil
        }
    }
}
