import NIOEmbedded
@testable import SIPTransport
import SIPTransaction
import Synchronization
import Testing

struct TimerWheelTests {
    private let key = TransactionKey.client(branch: "z9hG4bK-wheel", method: "OPTIONS")

    private func running(_ body: (TimerWheel, EmbeddedEventLoop, () -> [UInt64]) throws -> Void) rethrows {
        let loop = EmbeddedEventLoop()
        let wheel = TimerWheel()
        let fired = Mutex<[UInt64]>([])
        wheel.start(on: loop) { timer in fired.withLock { $0.append(timer.id) } }
        defer { wheel.stop() }
        try body(wheel, loop, { fired.withLock { $0 } })
    }

    @Test func aTimerFiresOnceOnTheTickOfItsDelayRoundedUp() {
        running { wheel, loop, fired in
            let id = wheel.reserveIDs(1)
            wheel.add(.e, for: key, after: .milliseconds(25), id: id)
            loop.advanceTime(by: .milliseconds(20))
            #expect(fired().isEmpty)
            loop.advanceTime(by: .milliseconds(10))
            #expect(fired() == [id])
            loop.advanceTime(by: .seconds(45))
            #expect(fired() == [id])
        }
    }

    @Test func aTimerLongerThanOneTurnOfTheWheelWaitsItsRounds() {
        running { wheel, loop, fired in
            let id = wheel.reserveIDs(1)
            wheel.add(.k, for: key, after: .seconds(50), id: id)
            loop.advanceTime(by: .milliseconds(49_990))
            #expect(fired().isEmpty)
            loop.advanceTime(by: .milliseconds(10))
            #expect(fired() == [id])
        }
    }

    @Test func aCancelledTimerIsDroppedWhenDue() {
        running { wheel, loop, fired in
            let first = wheel.reserveIDs(3)
            for offset in 0..<3 { wheel.add(.e, for: key, after: .milliseconds(30), id: first + UInt64(offset)) }
            wheel.cancel(first + 1)
            loop.advanceTime(by: .milliseconds(40))
            #expect(fired() == [first, first + 2])
        }
    }

    /// The ring of cancelled ids is a hint: a later cancel in the same slot lets the timer through,
    /// and the transaction's own record of its running timers has the last word.
    @Test func aCancelOverwrittenInTheRingLetsTheTimerThrough() {
        running { wheel, loop, fired in
            let id = wheel.reserveIDs(1)
            wheel.add(.e, for: key, after: .milliseconds(30), id: id)
            wheel.cancel(id)
            wheel.cancel(id + (1 << 16))
            loop.advanceTime(by: .milliseconds(40))
            #expect(fired() == [id])
        }
    }

    @Test func reservedIDsAreFreshAndConsecutive() {
        let wheel = TimerWheel()
        let first = wheel.reserveIDs(4)
        #expect(first > 0)
        #expect(wheel.reserveIDs(1) == first + 4)
    }
}
