import Logging

/// One stack's `OverloadPolicy`, with the count of the new INVITEs refused under it, which
/// the log reports at most once every 10 s.
final class OverloadGuard: Sendable {
    let policy: OverloadPolicy
    private let refusals: RefusalTally

    init(policy: OverloadPolicy, profile: String, logger: Logger) {
        self.policy = policy
        refusals = RefusalTally(metric: "sip_overload_rejected_total", profile: profile, logger: logger)
    }

    var refusedCount: Int { refusals.count }

    /// Counts a new INVITE refused with `load` on its socket.
    func recordRefusal(at load: ReceiveQueueLoad) {
        refusals.record { total in
            "overload: answering new INVITEs 503; a datagram waited \(load.waited.nanoseconds / 1_000_000) ms in the receive queue (\(load.queuedBytes / 1024) of \(load.capacityBytes / 1024) KiB queued, \(load.dropped) dropped for want of room since the queue was read before), \(total) refused since start; counted in sip_overload_rejected_total"
        }
    }
}
