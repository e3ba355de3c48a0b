import SIPMessage
import SIPTransaction
import Testing

struct ServerTransactionTests {
    @Test func trying100WhenTheTUIsSlowAndNotWhenItIsQuick() {
        let invite = Messages.request("INVITE")
        var slow = ServerInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(slow.start())
        #expect(driver.delivered.count == 1)
        driver.advance(to: .milliseconds(250)) { slow.fire($0) }
        #expect(driver.sentTimes == [0.2])
        guard case .response(let trying) = driver.sent[0].message else { Issue.record("no 100"); return }
        #expect(trying.status == 100)
        #expect(trying.to?.tag == nil)

        var quick = ServerInviteTransaction(request: invite, reliable: false)
        var quickDriver = FakeClockDriver()
        quickDriver.apply(quick.start())
        quickDriver.apply(quick.send(Messages.response(180, to: invite)))
        quickDriver.advance(to: .seconds(1)) { quick.fire($0) }
        #expect(quickDriver.sent.count == 1)
    }

    @Test func retransmittedInviteIsAnsweredFromTheTransaction() {
        let invite = Messages.request("INVITE")
        var transaction = ServerInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.receive(invite))
        #expect(driver.sent.isEmpty)
        driver.apply(transaction.send(Messages.response(180, to: invite)))
        driver.apply(transaction.receive(invite))
        #expect(driver.sent.count == 2)
        #expect(driver.delivered.count == 1)
    }

    @Test func nonSuccessFinalRetransmitsUntilACKThenLingersT4() {
        let invite = Messages.request("INVITE")
        var transaction = ServerInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.send(Messages.response(486, to: invite)))
        driver.advance(to: .seconds(4)) { transaction.fire($0) }
        #expect(driver.sentTimes == [0, 0.5, 1.5, 3.5])
        driver.apply(transaction.receive(Messages.request("ACK")))
        #expect(transaction.state == .confirmed)
        driver.advance(to: .seconds(8.9)) { transaction.fire($0) }
        #expect(transaction.state == .confirmed)
        driver.advance(to: .seconds(9)) { transaction.fire($0) }
        #expect(transaction.state == .terminated)
        #expect(driver.sent.count == 4)
        #expect(driver.delivered.count == 1)
    }

    @Test func missingACKTimesOutAfterTimerH() {
        let invite = Messages.request("INVITE")
        var transaction = ServerInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.send(Messages.response(503, to: invite)))
        driver.advance(to: .seconds(40)) { transaction.fire($0) }
        #expect(driver.sentTimes == [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5])
        #expect(driver.timedOut == .seconds(32))
    }

    @Test func successIsRetransmittedUntilItsACKWhichReachesTheTU() {
        let invite = Messages.request("INVITE")
        var transaction = ServerInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.send(Messages.response(200, to: invite)))
        driver.advance(to: .seconds(2)) { transaction.fire($0) }
        #expect(driver.sentTimes == [0, 0.5, 1.5])
        #expect(transaction.awaitsAck)
        // Until the ACK, the INVITE's skeleton stays to match it and to report a missing one.
        #expect(transaction.request?.body.isEmpty == true)
        #expect(transaction.request?.callID == invite.callID)
        driver.apply(transaction.receive(Messages.request("ACK", branch: "z9hG4bK-ack")))
        #expect(!transaction.awaitsAck)
        #expect(transaction.request == nil)
        driver.apply(transaction.receive(Messages.request("ACK", branch: "z9hG4bK-ack")))
        #expect(driver.delivered.count == 2)
        driver.advance(to: .seconds(40)) { transaction.fire($0) }
        #expect(driver.sent.count == 3)
        #expect(driver.timedOut == nil)
        #expect(transaction.state == .terminated)
    }

    @Test func successWithoutACKTimesOutAtTimerL() {
        let invite = Messages.request("INVITE")
        var transaction = ServerInviteTransaction(request: invite, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.send(Messages.response(200, to: invite)))
        driver.advance(to: .seconds(40)) { transaction.fire($0) }
        #expect(driver.timedOut == .seconds(32))
    }

    @Test func nonInviteServerAbsorbsRetransmissionsAndLingersTimerJ() {
        let bye = Messages.request("BYE")
        var transaction = ServerNonInviteTransaction(request: bye, reliable: false)
        var driver = FakeClockDriver()
        driver.apply(transaction.start())
        driver.apply(transaction.receive(bye))
        #expect(driver.sent.isEmpty)
        driver.apply(transaction.send(Messages.response(200, to: bye)))
        driver.apply(transaction.receive(bye))
        #expect(driver.sent.count == 2)
        // Its last response answers retransmissions; the request is not kept for them.
        #expect(transaction.request == nil)
        driver.advance(to: .seconds(31)) { transaction.fire($0) }
        #expect(transaction.state == .completed)
        driver.advance(to: .seconds(32)) { transaction.fire($0) }
        #expect(transaction.state == .terminated)
        var reliable = ServerNonInviteTransaction(request: bye, reliable: true)
        var reliableDriver = FakeClockDriver()
        reliableDriver.apply(reliable.start())
        reliableDriver.apply(reliable.send(Messages.response(200, to: bye)))
        reliableDriver.advance(to: .zero) { reliable.fire($0) }
        #expect(reliable.state == .terminated)
    }

    @Test func transactionKeys() throws {
        let invite = Messages.request("INVITE")
        let ack = Messages.request("ACK")
        #expect(TransactionKey.server(for: invite) == TransactionKey.server(for: ack))
        #expect(TransactionKey.server(for: invite) != TransactionKey.server(for: Messages.request("CANCEL")))
        var legacy = Messages.request("INVITE", branch: "oldstyle")
        let legacyKey = TransactionKey.server(for: legacy)
        legacy.headers.set("To", "<sip:b@127.0.0.1>;tag=x")
        legacy.method = "ACK"
        legacy.headers.set("CSeq", "1 ACK")
        #expect(TransactionKey.server(for: legacy) == legacyKey)
        let response = Messages.response(200, to: invite)
        #expect(TransactionKey.client(for: response) == TransactionKey.client(branch: "z9hG4bK-test", method: "INVITE"))
    }
}
