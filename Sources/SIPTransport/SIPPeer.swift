import NIOCore

/// The other end of a message: where it came from or where it goes, and over what.
public struct SIPPeer: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: String, Hashable, Sendable {
        case udp = "UDP"
        case tcp = "TCP"

        public var isReliable: Bool { self == .tcp }
    }

    public let transport: Transport
    public let address: SocketAddress

    public init(transport: Transport, address: SocketAddress) {
        self.transport = transport
        self.address = address
    }

    public init(transport: Transport, host: String, port: Int) throws {
        self.transport = transport
        self.address = try SocketAddress(ipAddress: host, port: port)
    }

    public var description: String { "\(transport.rawValue.lowercased()):\(ipAddress ?? "?"):\(address.port ?? 0)" }

    /// The address as text. IPv4 is written here: NIO's `ipAddress` goes through inet_ntop,
    /// whose sprintf costs more than parsing a header field, and every request asks for it.
    public var ipAddress: String? {
        guard case .v4(let v4) = address else { return address.ipAddress }
        let value = UInt32(bigEndian: v4.address.sin_addr.s_addr)
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

    /// The address's 4 or 16 bytes, in network order.
    public var ipAddressBytes: [UInt8]? {
        switch address {
        case .v4(let v4): return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6): return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: return nil
        }
    }
}
