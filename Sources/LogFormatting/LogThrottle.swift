import Dispatch
import Synchronization

/// Lets one report through every 10 s at most, whichever thread asks first: for log lines
/// about what can happen thousands of times a second (refused INVITEs, refused connections).
public final class LogThrottle: Sendable {
    private let interval: UInt64 = 10_000_000_000
    private let last = Atomic<UInt64>(0)

    public init() {}

    public func allows() -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        let last = self.last.load(ordering: .relaxed)
        return (last == 0 || now &- last >= interval)
            && self.last.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
    }
}
