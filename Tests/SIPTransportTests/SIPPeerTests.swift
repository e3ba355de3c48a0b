import NIOCore
import SIPTransport
import Testing

struct SIPPeerTests {
    @Test(arguments: ["0.0.0.0", "127.0.0.1", "10.0.100.9", "192.168.1.254", "255.255.255.255", "8.80.208.1"])
    func anIPv4AddressReadsAsNIOWritesIt(_ text: String) throws {
        let peer = try SIPPeer(transport: .udp, host: text, port: 5060)
        #expect(peer.ipAddress == text)
        #expect(peer.ipAddress == peer.address.ipAddress)
        #expect(peer.ipAddressBytes == text.split(separator: ".").map { UInt8($0)! })
    }

    @Test func anIPv6AddressReadsAsNIOWritesIt() throws {
        let peer = try SIPPeer(transport: .tcp, host: "2001:db8::1", port: 5060)
        #expect(peer.ipAddress == peer.address.ipAddress)
        #expect(peer.ipAddressBytes?.count == 16)
        #expect(peer.description == "tcp:\(peer.address.ipAddress!):5060")
    }
}

struct SIPPeerAddressTests {
    @Test func theInlineAddressKeepsPortEqualityAndTheSocketAddress() throws {
        let a = try SIPPeer(transport: .udp, host: "127.0.0.1", port: 5091)
        let same = SIPPeer(transport: .udp, address: try SocketAddress(ipAddress: "127.0.0.1", port: 5091))
        #expect(a == same && a.hashValue == same.hashValue)
        let otherPort = try SIPPeer(transport: .udp, host: "127.0.0.1", port: 5092)
        let otherTransport = try SIPPeer(transport: .tcp, host: "127.0.0.1", port: 5091)
        #expect(a != otherPort && a != otherTransport)
        #expect(a.port == 5091 && a.address == same.address)
        let v6 = try SIPPeer(transport: .udp, host: "::1", port: 5060)
        let v6Again = try SIPPeer(transport: .udp, host: "::1", port: 5060)
        #expect(v6.port == 5060 && v6 == v6Again && v6 != a)
    }
}
