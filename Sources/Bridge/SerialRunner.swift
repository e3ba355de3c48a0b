import Synchronization

/// Runs a call's work one piece at a time on whichever thread brings it, with no hop to a
/// thread of its own: work that arrives while another piece runs (on another thread, or from
/// inside the running piece) is queued and run next by the thread already running. Each piece
/// sees everything the pieces before it did.
public final class SerialRunner: Sendable {
    private struct State {
        var running = false
        var queue: [@Sendable () -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func run(_ work: @escaping @Sendable () -> Void) {
        let runsNow = state.withLock { state in
            if state.running {
                state.queue.append(work)
                return false
            }
            state.running = true
            return true
        }
        guard runsNow else { return }
        var next: (@Sendable () -> Void)? = work
        while let current = next {
            current()
            next = state.withLock { state in
                guard !state.queue.isEmpty else {
                    state.running = false
                    return nil
                }
                return state.queue.removeFirst()
            }
        }
    }
}
