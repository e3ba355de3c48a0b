#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOPosix
import SIPMessage
import SIPTransport
import Testing

/// The cap on TCP connections from one address, over real loopback connections.
struct TCPAdmissionTests {
    final class NoCalls: SIPTransactionUser {
        func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction) {}
        func receive(ack: SIPRequest, from peer: SIPPeer) {}
    }

    /// A connected TCP socket to 127.0.0.1:`port`, reads timing out after half a second.
    private func connect(_ port: Int) throws -> CInt {
        let socket = Glibc.socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    /// Whether the service closed `socket` (a read sees the end, or a reset when the close found
    /// our keep-alive unread), rather than keeping it open (the read times out). The CRLF
    /// keep-alive sent first is ignored by an open connection.
    private func wasClosed(_ socket: CInt) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        _ = send(socket, "\r\n", 2, CInt(MSG_NOSIGNAL))
        let read = recv(socket, &buffer, buffer.count, 0)
        return read == 0 || (read < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    @Test func connectionsPastTheLimitFromOneAddressAreClosedAndAClosedOneMakesRoom() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let stack = SIPStack(configuration: SIPStackConfiguration(port: 0, transports: [.tcp], tcpConnectionsPerAddress: 2),
                             group: group, logger: logger)
        try await stack.start(user: NoCalls())
        do {
            let first = try connect(stack.port)
            let second = try connect(stack.port)
            let third = try connect(stack.port)
            // Accepting may lag on a loaded machine: up to 2 s for the close.
            var closed = wasClosed(third)
            for _ in 0..<3 where !closed { closed = wasClosed(third) }
            #expect(closed)
            #expect(stack.tcpRefusedCount == 1)
            close(third)
            close(first)
            // The count goes down once the service has seen the close: wait for that, boundedly.
            var fourth = try connect(stack.port)
            var attempts = 0
            while wasClosed(fourth), attempts < 50 {
                close(fourth)
                attempts += 1
                try await Task.sleep(for: .milliseconds(20))
                fourth = try connect(stack.port)
            }
            #expect(!wasClosed(fourth))
            #expect(!wasClosed(second))
            close(second)
            close(fourth)
        } catch {
            await stack.shutdown()
            try await group.shutdownGracefully()
            throw error
        }
        await stack.shutdown()
        try await group.shutdownGracefully()
    }
}
