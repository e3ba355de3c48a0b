import NIOCore
import SIPTransaction
import Synchronization

/// Transaction timers in a hashed wheel of 10 ms slots, turned by one repeated task: a
/// timer costs an append, and a cancelled one is dropped when its slot comes round (its
/// transaction no longer holds its id), instead of every timer being a scheduled NIO task.
/// The wheel is split in sections by transaction key, each with its own lock, so that both
/// cores can schedule timers at once.
final class TimerWheel: Sendable {
    struct Timer: Sendable {
        let key: TransactionKey
        let timer: TransactionTimer
        let id: UInt64
        var rounds: Int
    }

    static let resolution = TimeAmount.milliseconds(10)
    static let slotCount = 4096
    /// A tick's slot of every section, taken out of the wheel to be fired.
    private typealias TakenSlots = InlineArray<16, [Timer]>
    static let sectionCount = TakenSlots.count

    private final class Section: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var slots = [[Timer]](repeating: [], count: TimerWheel.slotCount)
        var current = 0
    }

    private let sections = (0..<TimerWheel.sectionCount).map { _ in Section() }
    private let task = Mutex<RepeatedTask?>(nil)

    private let lastID = Atomic<UInt64>(0)

    /// Recently cancelled ids, each in the slot its low bits pick: a timer found here is dropped
    /// when due, without looking up its transaction. A slot overwritten by a later cancel only
    /// means that look-up happens, so this holds short timers (100 Trying, the first
    /// retransmissions) whatever the load.
    private static let cancelledSlots = 1 << 16
    private let cancelled = InlineArray<65536, Atomic<UInt64>> { _ in Atomic(0) }

    /// `count` fresh timer ids in a row (the first is returned), for a transaction to hold
    /// before its timers are added (under its own lock, while the wheel's locks are taken only
    /// after that one is released).
    func reserveIDs(_ count: Int) -> UInt64 {
        lastID.add(UInt64(count), ordering: .relaxed).newValue - UInt64(count) + 1
    }

    /// Notes that the timer under `id` no longer matters.
    func cancel(_ id: UInt64) {
        cancelled[Int(id) & (Self.cancelledSlots - 1)].store(id, ordering: .relaxed)
    }

    /// Adds a timer under an id from `reserveIDs(_:)`.
    func add(_ timer: TransactionTimer, for key: TransactionKey, after delay: Duration, id: UInt64) {
        let (seconds, attoseconds) = delay.components
        let milliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        let ticks = max(1, (milliseconds + 9) / 10)
        sections[key.bucket(of: Self.sectionCount)].state.withLock { state in
            let slot = (state.current + ticks) % Self.slotCount
            state.slots[slot].append(Timer(key: key, timer: timer, id: id, rounds: (ticks - 1) / Self.slotCount))
        }
    }

    /// Turns the wheel every 10 ms on `loop`, handing due timers to `fire`.
    func start(on loop: any EventLoop, fire: @escaping @Sendable (Timer) -> Void) {
        let repeated = loop.scheduleRepeatedTask(initialDelay: Self.resolution, delay: Self.resolution) { [weak self] _ in
            guard let self else { return }
            let taken = self.advance()
            for section in 0..<Self.sectionCount {
                // Through the buffer: `for timer in` copies every timer, retaining its key.
                taken[section].withUnsafeBufferPointer { timers in
                    for index in timers.indices where timers[index].rounds == 0 && !isCancelled(timers[index]) { fire(timers[index]) }
                }
            }
        }
        task.withLock { $0 = repeated }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func isCancelled(_ timer: Timer) -> Bool {
        cancelled[Int(timer.id) & (Self.cancelledSlots - 1)].load(ordering: .relaxed) == timer.id
    }

    /// Moves every section on a slot and takes that slot's timers out whole, to be fired once
    /// every lock is released: copying the due ones into a list of their own retained each key,
    /// and growing that list took large allocations each tick, which make glibc sort every
    /// chunk freed since (a call's transactions expire 32 s after it ends: 12 to 15% of the
    /// loop's work per call). Timers due in a later turn of the wheel go back, a turn nearer.
    private func advance() -> TakenSlots {
        var taken = TakenSlots(repeating: [])
        for section in 0..<Self.sectionCount {
            sections[section].state.withLock { state in
                state.current = (state.current + 1) % Self.slotCount
                swap(&taken[section], &state.slots[state.current])
                taken[section].withUnsafeBufferPointer { timers in
                    for index in timers.indices where timers[index].rounds > 0 {
                        var timer = timers[index]
                        timer.rounds -= 1
                        state.slots[state.current].append(timer)
                    }
                }
            }
        }
        return taken
    }
}
