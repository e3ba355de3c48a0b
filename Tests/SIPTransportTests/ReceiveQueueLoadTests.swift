#if canImport(Glibc)
import Glibc
#endif
import NIOCore
@testable import SIPTransport
import TestSupport
import Testing

/// The queue probe on a real loopback socket: what it reads is what the kernel holds.
struct ReceiveQueueLoadTests {
    @Test func readsHowLongTheLastDatagramWaitedAndWhatIsStillQueued() throws {
        let (sockets, _) = try UDPSocketGroup.bind(host: "127.0.0.1", port: 0, count: 1, receiveBuffer: 1 << 20)
        let socket = sockets[0]
        defer { close(socket) }
        let port = try localPort(socket)
        // The first read turns timestamping on: nothing read yet, nothing waited.
        #expect(ReceiveQueueLoad.read(socket: socket).waited == .zero)
        let sender = try UDPSocket()
        sender.send(Array(repeating: 0x41, count: 500), to: port)
        sender.send(Array(repeating: 0x42, count: 500), to: port)
        usleep(150_000)
        var buffer = [UInt8](repeating: 0, count: 2048)
        #expect(recv(socket, &buffer, buffer.count, 0) == 500)
        let load = ReceiveQueueLoad.read(socket: socket)
        #expect(load.waited >= .milliseconds(140))
        #expect(load.waited < .seconds(5))
        // The second datagram is still queued; the buffer is the kernel's doubled figure.
        #expect(load.queuedBytes >= 500)
        #expect(load.capacityBytes >= 1 << 20)
        #expect(recv(socket, &buffer, buffer.count, 0) == 500)
        #expect(ReceiveQueueLoad.read(socket: socket).queuedBytes == 0)
    }

    private func localPort(_ socket: CInt) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
