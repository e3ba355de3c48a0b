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

    /// A slot holds timers of this turn of the wheel and of later ones: only this turn's fire,
    /// and the later one stays for its own turn.
    @Test func aSlotFiresOnlyTheTimersOfThisTurn() {
        running { wheel, loop, fired in
            let now = wheel.reserveIDs(1), nextTurn = wheel.reserveIDs(1)
            let turn = TimerWheel.resolution.nanoseconds / 1_000_000 * Int64(TimerWheel.slotCount)
            wheel.add(.e, for: key, after: .milliseconds(10), id: now)
            wheel.add(.k, for: key, after: .milliseconds(10 + turn), id: nextTurn)
            loop.advanceTime(by: .milliseconds(10))
            #expect(fired() == [now])
            loop.advanceTime(by: .milliseconds(turn - 10))
            #expect(fired() == [now])
            loop.advanceTime(by: .milliseconds(10))
            #expect(fired() == [now, nextTurn])
        }
    }

    /// Every section is moved on before any timer fires: a timer that a firing one adds, one
    /// tick ahead in any section, fires on the next tick, not on this one.
    @Test func aTimerAddedWhileTimersFireWaitsForTheNextTick() throws {
        let keys = (0..<64).map { TransactionKey.client(branch: "z9hG4bK-section\($0)", method: "BYE") }
        try #require(Set(keys.map { $0.bucket(of: TimerWheel.sectionCount) }).count == TimerWheel.sectionCount)
        let loop = EmbeddedEventLoop()
        let wheel = TimerWheel()
        let first = wheel.reserveIDs(keys.count), followers = wheel.reserveIDs(keys.count)
        let fired = Mutex<[(id: UInt64, atMilliseconds: UInt64)]>([])
        wheel.start(on: loop) { timer in
            fired.withLock { $0.append((timer.id, loop.now.uptimeNanoseconds / 1_000_000)) }
            let index = Int(timer.id - first)
            if index < keys.count {
                // In the next key's section: sections before and after this one alike.
                wheel.add(.e, for: keys[(index + 1) % keys.count], after: .milliseconds(10), id: followers + UInt64(index))
            }
        }
        defer { wheel.stop() }
        for (index, key) in keys.enumerated() { wheel.add(.e, for: key, after: .milliseconds(20), id: first + UInt64(index)) }
        loop.advanceTime(by: .milliseconds(20))
        #expect(fired.withLock { $0.map(\.atMilliseconds) } == Array(repeating: 20, count: keys.count))
        #expect(fired.withLock { Set($0.map(\.id)) } == Set((0..<UInt64(keys.count)).map { first + $0 }))
        loop.advanceTime(by: .milliseconds(10))
        let followed = fired.withLock { Array($0.dropFirst(keys.count)) }
        #expect(Set(followed.map(\.id)) == Set((0..<UInt64(keys.count)).map { followers + $0 }))
        #expect(followed.allSatisfy { $0.atMilliseconds == 30 })
    }

    @Test func reservedIDsAreFreshAndConsecutive() {
        let wheel = TimerWheel()
        let first = wheel.reserveIDs(4)
        #expect(first > 0)
        #expect(wheel.reserveIDs(1) == first + 4)
    }
}
