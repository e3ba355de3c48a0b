import Metrics
import Synchronization

/// One metric's counters by label values, made once per set of values and kept: a hot path
/// then pays a dictionary look-up instead of the metrics factory's label checks and lock.
public final class CounterFamily: Sendable {
    private let label: String
    private let dimensionNames: [String]
    private let counters = Mutex<[[String]: Counter]>([:])

    public init(label: String, dimensionNames: [String]) {
        self.label = label
        self.dimensionNames = dimensionNames
    }

    /// The counter for these label values, in the order of `dimensionNames`.
    public func counter(_ values: String...) -> Counter {
        precondition(values.count == dimensionNames.count, "\(label) takes \(dimensionNames.count) label values")
        return counters.withLock { counters in
            if let counter = counters[values] { return counter }
            let counter = Counter(label: label, dimensions: Array(zip(dimensionNames, values)))
            counters[values] = counter
            return counter
        }
    }
}
