import NIOCore
import SIPTransaction
import Synchronization

/// Transaction timers in a hashed wheel of 10 ms slots, turned by one repeated task: a
/// timer costs an append, and a cancelled one is dropped when its slot comes round (its
/// transaction no longer holds its id), instead of every timer being a scheduled NIO task.
final class TimerWheel: Sendable {
    struct Timer: Sendable {
        let key: TransactionKey
        let timer: TransactionTimer
        let id: UInt64
        var rounds: Int
    }

    static let resolution = TimeAmount.milliseconds(10)
    static let slotCount = 4096

    private struct State {
        var slots = [[Timer]](repeating: [], count: TimerWheel.slotCount)
        var current = 0
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())
    private let task = Mutex<RepeatedTask?>(nil)

    /// Adds a timer; the id it answers is what the transaction keeps to know the timer is its.
    func schedule(_ timer: TransactionTimer, for key: TransactionKey, after delay: Duration) -> UInt64 {
        let (seconds, attoseconds) = delay.components
        let milliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        let ticks = max(1, (milliseconds + 9) / 10)
        return state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            let slot = (state.current + ticks) % Self.slotCount
            state.slots[slot].append(Timer(key: key, timer: timer, id: id, rounds: (ticks - 1) / Self.slotCount))
            return id
        }
    }

    /// Turns the wheel every 10 ms on `loop`, handing due timers to `fire`.
    func start(on loop: any EventLoop, fire: @escaping @Sendable (Timer) -> Void) {
        let repeated = loop.scheduleRepeatedTask(initialDelay: Self.resolution, delay: Self.resolution) { [weak self] _ in
            guard let self else { return }
            for timer in self.advance() { fire(timer) }
        }
        task.withLock { $0 = repeated }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func advance() -> [Timer] {
        state.withLock { state in
            state.current = (state.current + 1) % Self.slotCount
            var due: [Timer] = []
            var later: [Timer] = []
            for var timer in state.slots[state.current] {
                if timer.rounds == 0 {
                    due.append(timer)
                } else {
                    timer.rounds -= 1
                    later.append(timer)
                }
            }
            state.slots[state.current] = later
            return due
        }
    }
}
