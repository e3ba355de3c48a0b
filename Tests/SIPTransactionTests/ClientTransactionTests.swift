import SIPMessage
import SIPTransaction
import Testing

struct ClientTransactionTests {
    @Test func inviteOverUDPRetransmitsAtDoublingIntervalsAndTimesOutAt32Seconds() {
        var transaction = ClientInviteTransaction(request: Messages.request("INVITE"), reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.advance(to: .seconds(40)) { transaction.fire($0) }
        #expect(driver.sentTimes == [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5])
        #expect(driver.timedOut == .seconds(32))
        #expect(driver.terminatedAt == .seconds(32))
        #expect(transaction.state == .terminated)
    }

    @Test func inviteOverTCPSendsOnceAndStillTimesOut() {
        var transaction = ClientInviteTransaction(request: Messages.request("INVITE"), reliable: true)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.advance(to: .seconds(40)) { transaction.fire($0) }
        #expect(driver.sentTimes == [0])
        #expect(driver.timedOut == .seconds(32))
    }

    @Test func provisionalStopsRetransmissionsAndTimerB() {
        let invite = Messages.request("INVITE")
        var transaction = ClientInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.advance(to: .milliseconds(600)) { transaction.fire($0) }
        driver.apply(transaction.receive(Messages.response(180, to: invite)))
        driver.advance(to: .seconds(100)) { transaction.fire($0) }
        #expect(driver.sent.count == 2)
        #expect(driver.timedOut == nil)
        #expect(transaction.state == .proceeding)
        #expect(driver.delivered.count == 1)
    }

    /// Over UDP the time-outs ride on the retransmission timers (B on A, F on E): a request
    /// answered in time leaves no 32 s timer behind for the wheel to look up.
    @Test func answeredRequestsOverUDPLeaveNoTimeoutScheduled() {
        let invite = Messages.request("INVITE")
        var inviteTransaction = ClientInviteTransaction(request: invite, reliable: false)
        var inviteDriver = FakeClockDriver()
        inviteDriver.apply(inviteTransaction.start())
        #expect(Set(inviteDriver.pending.keys) == [.a])
        inviteDriver.apply(inviteTransaction.receive(Messages.response(100, to: invite)))
        #expect(inviteDriver.pending.isEmpty)

        let bye = Messages.request("BYE")
        var byeTransaction = ClientNonInviteTransaction(request: bye, reliable: false)
        var byeDriver = FakeClockDriver()
        byeDriver.apply(byeTransaction.start())
        #expect(Set(byeDriver.pending.keys) == [.e])
        byeDriver.apply(byeTransaction.receive(Messages.response(200, to: bye)))
        #expect(Set(byeDriver.pending.keys) == [.k])
    }

    @Test func nonSuccessFinalIsAcknowledgedAndItsRetransmissionsToo() throws {
        let invite = Messages.request("INVITE")
        var transaction = ClientInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        let busy = Messages.response(486, to: invite)
        driver.apply(transaction.receive(busy))
        driver.apply(transaction.receive(busy))
        #expect(driver.delivered.count == 1)
        let acks = driver.sent.dropFirst().map(\.message)
        #expect(acks.count == 2)
        guard case .request(let ack) = acks[0] else { Issue.record("no ACK"); return }
        #expect(ack.method == "ACK")
        #expect(ack.uri == invite.uri)
        #expect(ack.cseq == CSeq(number: 1, method: "ACK"))
        #expect(ack.to?.tag == "to1")
        #expect(ack.topVia?.branch == invite.topVia?.branch)
        #expect(ack.headers["Route"] == "<sip:proxy.example;lr>")
        // Built again from the transaction's skeleton and the response's To: the same ACK.
        #expect(acks[1] == acks[0])
        #expect(transaction.request?.body.isEmpty == true)
        driver.advance(to: .seconds(31)) { transaction.fire($0) }
        #expect(transaction.state == .completed)
        driver.advance(to: .seconds(33)) { transaction.fire($0) }
        #expect(transaction.state == .terminated)
        #expect(driver.timedOut == nil)
    }

    @Test func successGoesToAcceptedWhere2xxRetransmissionsReachTheTU() {
        let invite = Messages.request("INVITE")
        var transaction = ClientInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        let ok = Messages.response(200, to: invite)
        driver.apply(transaction.receive(ok))
        driver.apply(transaction.receive(ok))
        #expect(transaction.state == .accepted)
        // The 2xx's ACK is the TU's: nothing is kept for the 32 s of Timer M.
        #expect(transaction.request == nil)
        #expect(driver.delivered.count == 2)
        #expect(driver.sent.count == 1)
        driver.advance(to: .seconds(32)) { transaction.fire($0) }
        #expect(transaction.state == .terminated)
        #expect(driver.timedOut == nil)
    }

    @Test func nonInviteRetransmitsUpToT2AndTimesOutAt32Seconds() {
        var transaction = ClientNonInviteTransaction(request: Messages.request("OPTIONS"), reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.advance(to: .seconds(40)) { transaction.fire($0) }
        #expect(Array(driver.sentTimes.prefix(7)) == [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5])
        #expect(driver.sentTimes.last == 31.5)
        #expect(driver.timedOut == .seconds(32))
    }

    @Test func nonInviteProceedingRetransmitsEveryT2AndCompletedLingersT4() {
        let options = Messages.request("OPTIONS")
        var transaction = ClientNonInviteTransaction(request: options, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.receive(Messages.response(100, to: options)))
        driver.advance(to: .seconds(10)) { transaction.fire($0) }
        #expect(driver.sentTimes == [0, 0.5, 4.5, 8.5])
        driver.apply(transaction.receive(Messages.response(200, to: options)))
        driver.advance(to: .seconds(14)) { transaction.fire($0) }
        #expect(transaction.state == .completed)
        #expect(transaction.request == nil)
        driver.advance(to: .seconds(15)) { transaction.fire($0) }
        #expect(transaction.state == .terminated)
        #expect(driver.delivered.count == 2)
    }

    @Test func configurableT1() {
        let timers = TransactionTimers(t1: .milliseconds(100), t2: .milliseconds(400), t4: .seconds(1))
        var transaction = ClientNonInviteTransaction(request: Messages.request("OPTIONS"), timers: timers, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.advance(to: .seconds(10)) { transaction.fire($0) }
        #expect(driver.timedOut == .milliseconds(6400))
    }

    @Test func transportErrorReachesTheTU() {
        var transaction = ClientNonInviteTransaction(request: Messages.request("OPTIONS"), reliable: true)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.transportFailed())
        #expect(driver.transportFailed)
        #expect(transaction.state == .terminated)
    }
}
