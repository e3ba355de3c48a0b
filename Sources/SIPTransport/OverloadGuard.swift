import Logging
import Metrics
import NIOCore
import Synchronization

/// One stack's `OverloadPolicy`, with the count of the new INVITEs refused under it, which
/// the log reports at most once every 10 s.
final class OverloadGuard: Sendable {
    let policy: OverloadPolicy
    private let logger: Logger
    private let refused: Counter
    private let refusedTotal = Atomic<Int>(0)
    private let reports = LogThrottle()

    init(policy: OverloadPolicy, profile: String, logger: Logger) {
        self.policy = policy
        self.logger = logger
        refused = Counter(label: "sip_overload_rejected_total", dimensions: [("profile", profile)])
    }

    var refusedCount: Int { refusedTotal.load(ordering: .relaxed) }

    /// Counts a new INVITE refused with `load` on its socket.
    func recordRefusal(at load: ReceiveQueueLoad) {
        let total = refusedTotal.add(1, ordering: .relaxed).newValue
        refused.increment()
        if reports.allows() {
            logger.warning("overload: answering new INVITEs 503; a datagram waited \(load.waited.nanoseconds / 1_000_000) ms in the receive queue (\(load.queuedBytes / 1024) of \(load.capacityBytes / 1024) KiB queued, \(load.dropped) dropped for want of room since the INVITE before), \(total) refused since start; counted in sip_overload_rejected_total")
        }
    }
}
