#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import SIPMessage
@testable import SIPTransport
import Synchronization
import TestSupport
import Testing

/// The outlet's batches over a real loopback socket: replies queued in one turn of the loop,
/// each written straight into the batch.
struct UDPOutletTests {
    /// A message whose reason phrase tells it apart, and its wire form as text.
    private func datagram(_ label: String) -> SIPMessage { .response(SIPResponse(status: 200, reason: label)) }
    private func text(_ label: String) -> String { String(decoding: datagram(label).serialized(), as: UTF8.self) }

    private func withOutlet(_ body: (UDPOutlet, any EventLoop) throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await DatagramBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let outlet = UDPOutlet(channel, socket: socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0))
        try body(outlet, channel.eventLoop)
        outlet.close()
        try await channel.close()
        try await group.shutdownGracefully()
    }

    @Test func moreDatagramsInOneTurnThanOneBatchHoldsAllLeaveInOrder() async throws {
        let receiver = try UDPSocket()
        try await withOutlet { outlet, loop in
            let target = try SIPPeer(transport: .udp, host: "127.0.0.1", port: receiver.port)
            try loop.submit {
                for number in 0..<150 { outlet.send(datagram("datagram \(number)"), to: target, onFailure: nil) }
            }.wait()
            let received = receiver.drain(quietFor: 0.5).map { String(decoding: $0, as: UTF8.self) }
            #expect(received == (0..<150).map { text("datagram \($0)") })
        }
    }

    @Test func aDatagramTheKernelRefusesIsReportedAndTheOnesAfterItStillGo() async throws {
        let receiver = try UDPSocket()
        try await withOutlet { outlet, loop in
            let target = try SIPPeer(transport: .udp, host: "127.0.0.1", port: receiver.port)
            // An IPv6 destination on an IPv4 socket: sendmmsg stops at it with EAFNOSUPPORT.
            let unreachable = try SIPPeer(transport: .udp, host: "::1", port: 9)
            let failures = Mutex<[String]>([])
            try loop.submit {
                outlet.send(datagram("before"), to: target, onFailure: { _ in failures.withLock { $0.append("before") } })
                outlet.send(datagram("refused"), to: unreachable, onFailure: { error in failures.withLock { $0.append("refused: \(error)") } })
                outlet.send(datagram("after"), to: target, onFailure: { _ in failures.withLock { $0.append("after") } })
            }.wait()
            let received = receiver.drain(quietFor: 0.5).map { String(decoding: $0, as: UTF8.self) }
            #expect(received == [text("before"), text("after")])
            let reported = failures.withLock { $0 }
            #expect(reported.count == 1)
            #expect(reported.first?.hasPrefix("refused: ") == true)
        }
    }

    @Test func aDatagramFromAnotherThreadGoesAtOnceAndAFailureIsReported() async throws {
        let receiver = try UDPSocket()
        try await withOutlet { outlet, loop in
            #expect(!loop.inEventLoop)
            outlet.send(datagram("direct"), to: try SIPPeer(transport: .udp, host: "127.0.0.1", port: receiver.port), onFailure: nil)
            #expect(receiver.receive(within: 1).map { String(decoding: $0, as: UTF8.self) } == text("direct"))
            let failed = Mutex(false)
            outlet.send(datagram("refused"), to: try SIPPeer(transport: .udp, host: "::1", port: 9), onFailure: { _ in failed.withLock { $0 = true } })
            #expect(failed.withLock { $0 })
        }
    }

    @Test func aClosedOutletReportsEverySend() async throws {
        try await withOutlet { outlet, _ in
            outlet.close()
            let failed = Mutex(false)
            outlet.send(datagram("closed"), to: try SIPPeer(transport: .udp, host: "127.0.0.1", port: 9), onFailure: { _ in failed.withLock { $0 = true } })
            #expect(failed.withLock { $0 })
        }
    }
}
