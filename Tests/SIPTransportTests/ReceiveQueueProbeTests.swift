#if canImport(Glibc)
import Glibc
#endif
import NIOCore
@testable import SIPTransport
import TestSupport
import Testing

/// The queue probe on a real loopback socket: what it reads is what the kernel holds.
struct ReceiveQueueProbeTests {
    @Test func readsHowLongTheLastDatagramWaitedAndWhatIsStillQueued() throws {
        let (socket, port) = try boundSocket(receiveBuffer: 1 << 20)
        defer { close(socket) }
        let probe = ReceiveQueueProbe(socket: socket)
        // The first read turns timestamping on: nothing read yet, nothing waited.
        #expect(probe.read().waited == .zero)
        let sender = try UDPSocket()
        var buffer = [UInt8](repeating: 0, count: 2048)
        // The kernel turns the stamps on a moment later: until a datagram that waited shows its wait.
        var stamped = false
        for _ in 0..<100 where !stamped {
            sender.send([0x30], to: port)
            usleep(20_000)
            _ = recv(socket, &buffer, buffer.count, 0)
            stamped = probe.read().waited >= .milliseconds(15)
        }
        #expect(stamped)
        sender.send(Array(repeating: 0x41, count: 500), to: port)
        sender.send(Array(repeating: 0x42, count: 500), to: port)
        usleep(150_000)
        #expect(recv(socket, &buffer, buffer.count, 0) == 500)
        let load = probe.read()
        #expect(load.waited >= .milliseconds(140))
        #expect(load.waited < .seconds(5))
        // The second datagram is still queued, within the buffer (its size is capped by the host's rmem_max).
        #expect(load.queuedBytes >= 500)
        #expect(load.capacityBytes > load.queuedBytes)
        #expect(recv(socket, &buffer, buffer.count, 0) == 500)
        #expect(probe.read().queuedBytes == 0)
    }

    /// A sample serves every datagram its read returned: the wait it shows runs on while they
    /// are handled, without asking the kernel again.
    @Test func aSampleReadLaterShowsTheWaitSinceTheDatagramCameIn() throws {
        let (socket, port) = try boundSocket(receiveBuffer: 1 << 20)
        defer { close(socket) }
        let probe = ReceiveQueueProbe(socket: socket)
        #expect(probe.sample().stamp == 0)
        let sender = try UDPSocket()
        var buffer = [UInt8](repeating: 0, count: 2048)
        sender.send([0x30], to: port)
        usleep(20_000)
        #expect(recv(socket, &buffer, buffer.count, 0) == 1)
        // Stamped by the kernel, or (before its stamps are on) as of this first ask.
        let sample = probe.sample()
        #expect(sample.stamp != 0)
        let first = probe.load(of: sample).waited
        usleep(100_000)
        let later = probe.load(of: sample).waited
        #expect(later >= first + .milliseconds(95))
        #expect(later < first + .seconds(5))
    }

    @Test func tellsTheDatagramsDroppedSinceTheReadBefore() throws {
        // The smallest buffer the kernel allows: a burst overflows it.
        let (socket, port) = try boundSocket(receiveBuffer: 1)
        defer { close(socket) }
        let probe = ReceiveQueueProbe(socket: socket)
        #expect(probe.read().dropped == 0)
        let sender = try UDPSocket()
        for _ in 0..<200 { sender.send(Array(repeating: 0x41, count: 1000), to: port) }
        #expect(probe.read().dropped > 0)
        #expect(probe.read().dropped == 0)
    }

    /// An overflow long before the INVITE now read is no sign of overload now.
    @Test func dropsSinceAReadLongAgoAreNotCounted() async throws {
        let (socket, port) = try boundSocket(receiveBuffer: 1)
        defer { close(socket) }
        let probe = ReceiveQueueProbe(socket: socket, recentDrops: .milliseconds(50))
        _ = probe.read()
        let sender = try UDPSocket()
        for _ in 0..<200 { sender.send(Array(repeating: 0x41, count: 1000), to: port) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(probe.read().dropped == 0)
    }

    /// A loopback socket on a free port, the buffer asked for, and that port.
    private func boundSocket(receiveBuffer: Int) throws -> (socket: CInt, port: Int) {
        let (sockets, _) = try UDPSocketGroup.bind(host: "127.0.0.1", port: 0, count: 1, receiveBuffer: receiveBuffer)
        do {
            return (sockets[0], try localPort(sockets[0]))
        } catch {
            close(sockets[0])
            throw error
        }
    }

    private func localPort(_ socket: CInt) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
