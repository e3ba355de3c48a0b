import Foundation
import Logging
import NIOCore
import NIOPosix
import SIPEndpoint
import SIPMessage
import SIPTransaction
import SIPTransport
import Synchronization
import TestSupport
import Testing

/// The stack over real loopback sockets, with a hand-played peer.
struct SIPStackTests {
    final class RecordingUser: SIPTransactionUser {
        let requests = Mutex<[SIPRequest]>([])
        let answer: Int?

        init(answer: Int? = nil) { self.answer = answer }

        let transactions = Mutex<[ServerTransaction]>([])

        func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction) {
            requests.withLock { $0.append(request) }
            transactions.withLock { $0.append(transaction) }
            if let answer { transaction.respond(status: answer, toTag: "t") }
        }

        let acks = Mutex<[SIPRequest]>([])

        func receive(ack: SIPRequest, from peer: SIPPeer) {
            acks.withLock { $0.append(ack) }
        }
    }

    private func withStack(_ user: any SIPTransactionUser, timers: TransactionTimers = TransactionTimers(), threads: Int = 2,
                           overload: OverloadPolicy? = .default, _ body: (SIPStack) throws -> Void) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = SIPStackConfiguration(port: 0, transports: [.udp], timers: timers, overload: overload)
        let stack = SIPStack(configuration: configuration, group: group, logger: logger)
        try await stack.start(user: user)
        try body(stack)
        await stack.shutdown()
        try await group.shutdownGracefully()
    }

    /// The ACK of `invite(from:)`'s INVITE answered with To tag `t`.
    private func ack(from port: Int, branch: String) -> String {
        """
        ACK sip:1004@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:\(port);branch=\(branch);rport
        Max-Forwards: 70
        From: <sip:1003@127.0.0.1>;tag=f1
        To: <sip:1004@127.0.0.1>;tag=t
        Call-ID: stack-test-1
        CSeq: 1 ACK
        Content-Length: 0


        """
    }

    private func invite(from port: Int, branch: String = "z9hG4bK-1", callID: String = "stack-test-1", extra: String = "") -> String {
        """
        INVITE sip:1004@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:\(port);branch=\(branch);rport
        Max-Forwards: 70
        From: <sip:1003@127.0.0.1>;tag=f1
        To: <sip:1004@127.0.0.1>
        Call-ID: \(callID)
        CSeq: 1 INVITE
        \(extra)Content-Length: 0


        """
    }

    private func response(_ bytes: [UInt8]?) -> SIPResponse? {
        guard let bytes, case .message(.response(let response)) = SIPParser.parse(bytes) else { return nil }
        return response
    }

    @Test func badRequestGets400WithTheReason() async throws {
        try await withStack(RecordingUser()) { stack in
            let peer = try UDPSocket()
            peer.send(invite(from: peer.port).replacingOccurrences(of: "Max-Forwards: 70", with: "Max-Forwards: many"), to: stack.port)
            let answer = try #require(response(peer.receive(within: 2)))
            #expect(answer.status == 400)
            #expect(answer.reason == "bad Max-Forwards \"many\"")
            #expect(answer.headers["Warning"]?.contains("bad Max-Forwards") == true)
            #expect(answer.headers["Call-ID"] == "stack-test-1")
            peer.send(invite(from: peer.port).replacingOccurrences(of: "Call-ID: stack-test-1\n", with: ""), to: stack.port)
            let raw = try #require(peer.receive(within: 2))
            #expect(String(decoding: raw, as: UTF8.self).hasPrefix("SIP/2.0 400 missing Call-ID header\r\n"))
            peer.send("garbage that is not SIP\r\n\r\n", to: stack.port)
            #expect(peer.receive(within: 0.3) == nil)
        }
    }

    @Test func aLargeDatagramArrivesWhole() async throws {
        let user = RecordingUser(answer: 486)
        let sdp = (0..<120).map { "a=x-padding-line-\($0):0123456789abcdefghijklmnopqrstuvwxyz\n" }.joined()
        #expect(sdp.utf8.count > 6000)
        try await withStack(user) { stack in
            let peer = try UDPSocket()
            let text = invite(from: peer.port, extra: "Content-Type: application/sdp\n")
                .replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: \(sdp.replacingLineEnds().utf8.count)") + sdp
            peer.send(text, to: stack.port)
            #expect(response(peer.receive(within: 2))?.status == 486)
            #expect(user.requests.withLock { $0.first?.body.count } == sdp.replacingLineEnds().utf8.count)
        }
    }

    /// A TU that holds its event loop for a while on the first INVITE, as a service past its
    /// capacity does, then answers 180; later INVITEs get 486 at once, anything else 200.
    final class StallingUser: SIPTransactionUser {
        let callIDs = Mutex<[String]>([])

        func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction) {
            guard request.method == "INVITE" else {
                transaction.respond(status: 200, toTag: "t")
                return
            }
            let first = callIDs.withLock { seen in
                seen.append(request.callID ?? "")
                return seen.count == 1
            }
            if first { usleep(300_000) }
            transaction.respond(status: first ? 180 : 486, toTag: "t")
        }

        func receive(ack: SIPRequest, from peer: SIPPeer) {}
    }

    @Test func newInvitesThatWaitedPastTheQueueDelayAre503dWhileCallsTakenGoOn() async throws {
        let user = StallingUser()
        // T1 of 2 s: no 503 or 486 is retransmitted within the test's reads.
        var timers = TransactionTimers()
        timers.t1 = .seconds(2)
        try await withStack(user, timers: timers, threads: 1, overload: OverloadPolicy(maxQueueDelay: .milliseconds(150))) { stack in
            let peer = try UDPSocket()
            // A round trip first: the stack turned the kernel's receive timestamps on at start, and the kernel does it a moment later.
            peer.send(invite(from: peer.port).replacingOccurrences(of: "INVITE", with: "OPTIONS"), to: stack.port)
            #expect(response(peer.receive(within: 2))?.status == 200)
            // The first call stalls the loop 300 ms; a new call and a repeat of the first wait behind it.
            peer.send(invite(from: peer.port, branch: "z9hG4bK-taken", callID: "taken"), to: stack.port)
            peer.send(invite(from: peer.port, branch: "z9hG4bK-late", callID: "late"), to: stack.port)
            peer.send(invite(from: peer.port, branch: "z9hG4bK-taken", callID: "taken"), to: stack.port)
            let answers = peer.drain(quietFor: 0.4).compactMap(response)
            let late = answers.filter { $0.callID == "late" }
            #expect(late.map(\.status) == [503])
            #expect(late.first?.reason == "Server Overloaded")
            #expect(late.first?.toTag != nil)
            #expect(late.first?.headers["Retry-After"] == nil)
            // The repeat of the call taken is absorbed by its transaction, not refused.
            let taken = answers.filter { $0.callID == "taken" }.map(\.status)
            #expect(taken.contains(180))
            #expect(!taken.contains(503))
            #expect(stack.overloadRefusedCount == 1)
            // A repeat of the refused INVITE read once the queue is short again gets the same
            // 503 from the refusal's transaction: it is not taken as a new call.
            peer.send(invite(from: peer.port, branch: "z9hG4bK-late", callID: "late"), to: stack.port)
            let repeated = try #require(response(peer.receive(within: 2)))
            #expect(repeated.callID == "late" && repeated.status == 503 && repeated.toTag == late.first?.toTag)
            peer.send(ack(from: peer.port, branch: "z9hG4bK-late").replacingOccurrences(of: "stack-test-1", with: "late"), to: stack.port)
            // New calls are taken again.
            peer.send(invite(from: peer.port, branch: "z9hG4bK-next", callID: "next"), to: stack.port)
            // (486, retransmitted until its ACK; the refused call's 503 is not repeated after its ACK.)
            let after = peer.drain(quietFor: 0.7).compactMap(response)
            #expect(Set(after.filter { $0.callID == "next" }.map(\.status)) == [486])
            #expect(after.filter { $0.callID == "late" }.isEmpty)
            #expect(user.callIDs.withLock { $0 } == ["taken", "next"])
            #expect(stack.overloadRefusedCount == 1)
        }
    }

    @Test func withoutAnOverloadPolicyEveryInviteReachesTheTU() async throws {
        let user = StallingUser()
        try await withStack(user, threads: 1, overload: nil) { stack in
            let peer = try UDPSocket()
            peer.send(invite(from: peer.port, branch: "z9hG4bK-taken", callID: "taken"), to: stack.port)
            peer.send(invite(from: peer.port, branch: "z9hG4bK-late", callID: "late"), to: stack.port)
            let answers = peer.drain(quietFor: 0.8).compactMap(response)
            #expect(Set(answers.filter { $0.callID == "late" }.map(\.status)) == [486])
            #expect(user.callIDs.withLock { $0 } == ["taken", "late"])
            #expect(stack.overloadRefusedCount == 0)
        }
    }

    @Test func transactionTimerKindsFitTheEntrysInlineSlots() {
        #expect(TransactionTimer.allCases.allSatisfy { $0.rawValue < 14 })
    }

    @Test func slowTUGets100TryingAndRetransmissionsAreAbsorbed() async throws {
        let user = RecordingUser()
        try await withStack(user) { stack in
            let peer = try UDPSocket()
            peer.send(invite(from: peer.port), to: stack.port)
            peer.send(invite(from: peer.port), to: stack.port)
            let trying = try #require(response(peer.receive(within: 2)))
            #expect(trying.status == 100)
            #expect(trying.topVia?.rport == peer.port)
            #expect(trying.topVia?.received == "127.0.0.1")
            peer.send(invite(from: peer.port), to: stack.port)
            #expect(response(peer.receive(within: 2))?.status == 100)
            #expect(user.requests.withLock { $0.count } == 1)
        }
    }

    @Test func finalResponseIsRetransmittedUntilACK() async throws {
        let timers = TransactionTimers(t1: .milliseconds(50), t2: .milliseconds(200), t4: .milliseconds(200))
        try await withStack(RecordingUser(answer: 486), timers: timers) { stack in
            let peer = try UDPSocket()
            peer.send(invite(from: peer.port), to: stack.port)
            let first = try #require(response(peer.receive(within: 2)))
            #expect(first.status == 486)
            #expect(response(peer.receive(within: 1))?.status == 486)
            peer.send(ack(from: peer.port, branch: "z9hG4bK-1"), to: stack.port)
            _ = peer.drain(quietFor: 0.3)
            #expect(peer.receive(within: 0.5) == nil)
            #expect(stack.transactionCount <= 1)
        }
    }

    /// The ACK of a 2xx has a branch of its own: the first one stops the 2xx's retransmissions;
    /// the transaction then forgets the dialog, so a repeated ACK goes to the TU (RFC 6026).
    @Test func successIsRetransmittedUntilItsACKAndRepeatedACKsReachTheTU() async throws {
        let timers = TransactionTimers(t1: .milliseconds(50), t2: .milliseconds(200), t4: .milliseconds(200))
        let user = RecordingUser(answer: 200)
        try await withStack(user, timers: timers) { stack in
            let peer = try UDPSocket()
            peer.send(invite(from: peer.port), to: stack.port)
            #expect(response(peer.receive(within: 2))?.status == 200)
            #expect(response(peer.receive(within: 1))?.status == 200)
            let acknowledgement = ack(from: peer.port, branch: "z9hG4bK-ack")
            #expect(stack.awaitingAckCount == 1)
            peer.send(acknowledgement, to: stack.port)
            _ = peer.drain(quietFor: 0.3)
            #expect(peer.receive(within: 0.5) == nil)
            #expect(stack.awaitingAckCount == 0)
            // The TU sends its 2xx again (a relayed re-INVITE's answer came twice): it goes out,
            // and leaves nothing waiting for an ACK that was already received.
            user.transactions.withLock { $0[0] }.respond(status: 200, toTag: "t")
            #expect(response(peer.receive(within: 2))?.status == 200)
            #expect(stack.awaitingAckCount == 0)
            peer.send(acknowledgement, to: stack.port)
            let deadline = Date().addingTimeInterval(2)
            while user.acks.withLock({ $0.count }) < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            #expect(user.acks.withLock { $0.map(\.method) } == ["ACK", "ACK"])
        }
    }

    /// A 2xx's ACK that reuses the INVITE's branch finds the transaction by its key; the
    /// entry by dialog goes with it.
    @Test func ackOnTheInvitesBranchLeavesNothingWaiting() async throws {
        let timers = TransactionTimers(t1: .milliseconds(50), t2: .milliseconds(200), t4: .milliseconds(200))
        try await withStack(RecordingUser(answer: 200), timers: timers) { stack in
            let peer = try UDPSocket()
            peer.send(invite(from: peer.port), to: stack.port)
            #expect(response(peer.receive(within: 2))?.status == 200)
            #expect(stack.awaitingAckCount == 1)
            peer.send(ack(from: peer.port, branch: "z9hG4bK-1"), to: stack.port)
            _ = peer.drain(quietFor: 0.3)
            #expect(peer.receive(within: 0.5) == nil)
            #expect(stack.awaitingAckCount == 0)
        }
    }

    @Test func clientTransactionGetsItsResponseOrTimesOut() async throws {
        let timers = TransactionTimers(t1: .milliseconds(20), t2: .milliseconds(80), t4: .milliseconds(50))
        try await withStack(RecordingUser(), timers: timers) { stack in
            let peer = try UDPSocket()
            var headers = SIPHeaders()
            headers.add("Max-Forwards", "70")
            headers.add("From", "<sip:ping@127.0.0.1>;tag=1")
            headers.add("To", "<sip:127.0.0.1>")
            headers.add("Call-ID", "client-1")
            headers.add("CSeq", "1 OPTIONS")
            let options = SIPRequest(method: "OPTIONS", uri: try SIPURI("sip:127.0.0.1:\(peer.port)"), headers: headers)
            let events = Mutex<[String]>([])
            let target = try SIPPeer(transport: .udp, host: "127.0.0.1", port: peer.port)
            stack.send(options, to: target) { event in
                switch event {
                case .response(let response): events.withLock { $0.append("\(response.status)") }
                case .timedOut: events.withLock { $0.append("timeout") }
                case .transportFailed: events.withLock { $0.append("transport") }
                }
            }
            let received = try #require(peer.receive(within: 2))
            guard case .message(.request(let request)) = SIPParser.parse(received) else { Issue.record("not a request"); return }
            #expect(request.topVia?.branch?.hasPrefix("z9hG4bK") == true)
            peer.send(request.response(status: 404).serialized(), to: stack.port)
            // Waited for, not slept on: under the whole suite's load the response can take longer than a fixed pause.
            let answered = Date().addingTimeInterval(5)
            while events.withLock({ $0.isEmpty }) && Date() < answered { Thread.sleep(forTimeInterval: 0.02) }
            #expect(events.withLock { $0 } == ["404"])

            stack.send(options, to: target) { event in
                if case .timedOut = event { events.withLock { $0.append("timeout") } }
            }
            let deadline = Date().addingTimeInterval(5)
            while events.withLock({ $0.count }) < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(events.withLock { $0 } == ["404", "timeout"])
            // 64*T1 = 1.28 s with retransmissions at 20, 40, 80, 80... ms.
            #expect(peer.drain(quietFor: 0.2).count > 10)
        }
    }

    @Test func statelessEndpointAnswers() async throws {
        try await withStack(StatelessEndpoint()) { stack in
            let peer = try UDPSocket()
            func ask(_ method: String, extra: String = "") -> SIPResponse? {
                peer.send("""
                    \(method) sip:127.0.0.1 SIP/2.0
                    Via: SIP/2.0/UDP 127.0.0.1:\(peer.port);branch=z9hG4bK-\(method)\(extra.count)
                    Max-Forwards: 70
                    From: <sip:a@127.0.0.1>;tag=1
                    To: <sip:127.0.0.1>
                    Call-ID: endpoint-\(method)
                    CSeq: 1 \(method)
                    \(extra)Content-Length: 0


                    """, to: stack.port)
                return response(peer.receive(within: 2))
            }
            let options = ask("OPTIONS")
            #expect(options?.status == 200)
            #expect(options?.headers["Allow"]?.contains("INVITE") == true)
            #expect(options?.headers["Accept"] == "application/sdp")
            #expect(ask("REGISTER")?.status == 405)
            #expect(ask("FROBNICATE")?.status == 501)
            #expect(ask("BYE")?.status == 481)
            let required = ask("OPTIONS", extra: "Require: foo\n")
            #expect(required?.status == 420)
            #expect(required?.headers["Unsupported"] == "foo")
        }
    }
}
