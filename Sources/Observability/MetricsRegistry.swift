import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// The process's metrics, in Prometheus's text format. `bootstrap()` makes every swift-metrics
/// counter, gauge and timer of every layer land here; call it once, before the layers start.
public final class MetricsRegistry: Sendable {
    public let prometheus = PrometheusCollectorRegistry()
    private let residentMemory: Prometheus.Gauge
    private let cpuSeconds: Prometheus.Gauge
    private let collectors = Mutex<[@Sendable () -> Void]>([])

    public init() {
        residentMemory = prometheus.makeGauge(name: "process_resident_memory_bytes", help: "Resident set size.")
        cpuSeconds = prometheus.makeGauge(name: "process_cpu_seconds_total", help: "User and system CPU time.")
    }

    public static func bootstrap() -> MetricsRegistry {
        let registry = MetricsRegistry()
        var factory = PrometheusMetricsFactory(registry: registry.prometheus)
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .seconds(2), .seconds(5)]
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// `collect` runs before each exposition, to set gauges that are read rather than counted.
    public func addCollector(_ collect: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// The exposition, with the process figures read at this moment.
    public func exposition() -> [UInt8] {
        for collect in collectors.withLock({ $0 }) { collect() }
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
           let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            residentMemory.set(pages * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            cpuSeconds.set(Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6)
        }
        return prometheus.emitToBuffer()
    }
}
