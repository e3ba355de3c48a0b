#if canImport(Glibc)
import Glibc
#endif
import SIPTransport
import TestSupport
import Foundation
import Testing

struct UDPSocketGroupTests {
    @Test func oneSendersDatagramsReachEverySocketOfTheGroup() throws {
        let (sockets, spread) = try UDPSocketGroup.bind(host: "127.0.0.1", port: 0, count: 2, receiveBuffer: 1 << 20)
        defer { sockets.forEach { _ = close($0) } }
        #expect(spread)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sockets[1], $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        #expect(port > 0)
        let sender = try UDPSocket()
        for _ in 0..<200 { sender.send(Array("x".utf8), to: port) }
        var received = [0, 0]
        var buffer = [UInt8](repeating: 0, count: 16)
        for (index, socket) in sockets.enumerated() {
            while recv(socket, &buffer, buffer.count, CInt(MSG_DONTWAIT)) > 0 { received[index] += 1 }
        }
        #expect(received[0] + received[1] == 200)
        #expect(received.allSatisfy { $0 > 20 })
        #expect(throws: UDPSocketGroup.BindError.self) {
            _ = try UDPSocketGroup.bind(host: "127.0.0.1", port: port, count: 2, receiveBuffer: 1 << 20)
        }
    }

    /// What the service's start-up warning rests on: the granted size is read back as asked,
    /// and falls short of what was asked when `net.core.rmem_max` is smaller.
    @Test func theGrantedReceiveBufferIsReadBackAndCappedByRmemMax() throws {
        let (small, _) = try UDPSocketGroup.bind(host: "127.0.0.1", port: 0, count: 1, receiveBuffer: 64 << 10)
        defer { small.forEach { _ = close($0) } }
        #expect(UDPSocketGroup.receiveBufferSize(of: small[0]) == 64 << 10)
        let setting = try String(contentsOfFile: "/proc/sys/net/core/rmem_max", encoding: .utf8)
        let limit = try #require(Int(setting.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Past 256 MiB, asking for more overflows the kernel's doubled figure: nothing to check.
        guard limit <= 256 << 20 else { return }
        let (large, _) = try UDPSocketGroup.bind(host: "127.0.0.1", port: 0, count: 1, receiveBuffer: limit + (1 << 20))
        defer { large.forEach { _ = close($0) } }
        #expect(UDPSocketGroup.receiveBufferSize(of: large[0]) == limit)
    }
}
