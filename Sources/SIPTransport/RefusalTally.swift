import LogFormatting
import Logging
import Metrics
import Synchronization

/// What a guard refuses, counted three ways: a metric, a total since start (for tests and
/// status), and a log line at most every 10 s, which gets the total.
final class RefusalTally: Sendable {
    private let metric: Counter
    private let total = Atomic<Int>(0)
    private let reports = LogThrottle()
    private let logger: Logger

    init(metric label: String, profile: String, logger: Logger) {
        metric = Counter(label: label, dimensions: [("profile", profile)])
        self.logger = logger
    }

    var count: Int { total.load(ordering: .relaxed) }

    /// Counts one refusal, and logs `report(total)` unless a report went out in the last 10 s.
    func record(_ report: (Int) -> Logger.Message) {
        let total = total.add(1, ordering: .relaxed).newValue
        metric.increment()
        if reports.allows() { logger.warning(report(total)) }
    }
}
