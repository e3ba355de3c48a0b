import Synchronization

/// How the running service is asked to stop: `fsctl shutdown [elegant]` or a signal.
public final class ServiceLifecycle: Sendable {
    public enum Stop: Sendable, Equatable {
        /// End every call now, then exit.
        case now
        /// Take no new calls, let calls in progress finish (up to the grace period), then exit.
        case elegant
    }

    private let state = Mutex<(requested: Stop?, waiter: CheckedContinuation<Stop, Never>?)>((nil, nil))
    public let started = ContinuousClock.now

    public init() {}

    public func request(_ stop: Stop) {
        let waiter = state.withLock { state -> CheckedContinuation<Stop, Never>? in
            guard state.requested == nil else { return nil }
            state.requested = stop
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: stop)
    }

    /// Returns once a stop is requested.
    public func wait() async -> Stop {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Stop? in
                if let requested = state.requested { return requested }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
