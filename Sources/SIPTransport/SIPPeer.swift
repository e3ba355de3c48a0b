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

    public var description: String { "\(transport.rawValue.lowercased()):\(address.ipAddress ?? "?"):\(address.port ?? 0)" }
}
