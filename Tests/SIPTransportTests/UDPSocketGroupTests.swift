#if canImport(Glibc)
import Glibc
#endif
import SIPTransport
import TestSupport
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
}
