import SIPTransaction
@testable import SIPTransport
import Testing

struct RunningTimersTests {
    @Test func eachKindKeepsItsOwnIdInFourPlaces() {
        var timers = TransactionTable.RunningTimers()
        #expect(timers[.a] == 0)
        timers[.a] = 1
        timers[.b] = 2
        timers[.trying] = 3
        timers[.j] = (1 << 56) - 1
        #expect(timers[.a] == 1)
        #expect(timers[.b] == 2)
        #expect(timers[.trying] == 3)
        #expect(timers[.j] == (1 << 56) - 1)
        #expect(timers[.m] == 0)
        // A kind scheduled again replaces its id; a stopped one frees its place for another kind.
        timers[.a] = 7
        #expect(timers[.a] == 7)
        timers[.b] = 0
        #expect(timers[.b] == 0)
        timers[.m] = 9
        #expect(timers[.m] == 9)
        #expect(timers[.a] == 7)
        // Stopping a kind that is not running changes nothing.
        timers[.g] = 0
        #expect(timers[.trying] == 3)
    }

    @Test func transactionTimersKeepWholeMilliseconds() {
        var timers = TransactionTimers(t1: .milliseconds(50), t2: .milliseconds(400), t4: .seconds(1))
        #expect(timers.t1 == .milliseconds(50))
        #expect(timers.t2 == .milliseconds(400))
        #expect(timers.t4 == .seconds(1))
        #expect(timers.trying == .milliseconds(200))
        #expect(timers.transactionTimeout == .milliseconds(3200))
        timers.t1 = .seconds(2)
        #expect(timers.transactionTimeout == .seconds(128))
        #expect(TransactionTimers() == TransactionTimers(t1: .milliseconds(500), t2: .seconds(4), t4: .seconds(5)))
    }
}
