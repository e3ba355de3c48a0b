import APICommands
import Bridge
import Control
import Foundation
import Gateways

/// `status`, `version`, `fsctl shutdown [elegant]`, `reloadacl`.
enum ServiceCommands {
    static let version = "0.1.0"

    static func register(in commands: CommandRegistry, runtime: ServiceRuntime, calls: CallTable, lifecycle: ServiceLifecycle, maxSessions: Int) {
        commands.register(APICommand(name: "version", syntax: "", summary: "Version") { _ in
            "distributor version \(version) (FreeSWITCH-style weighted SIP distributor)\n"
        })
        commands.register(APICommand(name: "status", syntax: "", summary: "Uptime and calls") { _ in
            let up = ContinuousClock.now - lifecycle.started
            let (seconds, attoseconds) = up.components
            let microseconds = Int(attoseconds / 1_000_000_000_000)
            let statistics = calls.statistics
            return """
                UP 0 years, \(seconds / 86_400) days, \(seconds / 3600 % 24) hours, \(seconds / 60 % 60) minutes, \(seconds % 60) seconds, \
                \(microseconds / 1000) milliseconds, \(microseconds % 1000) microseconds
                distributor (Version \(version)) is \(calls.draining.load(ordering: .relaxed) ? "shutting down" : "ready")
                \(statistics.total) session(s) since startup
                \(calls.count) session(s) - peak \(statistics.peak)
                \(statistics.lastSecond) session(s) per Sec, peak \(statistics.peakPerSecond)
                \(maxSessions) session(s) max

                """
        })
        commands.register(APICommand(name: "fsctl", syntax: "shutdown [elegant]", summary: "Stop the service") { arguments in
            let words = ArgumentSplitter.split(arguments).map { $0.lowercased() }
            guard words.first == "shutdown" else { return "-ERR Usage: fsctl shutdown [elegant]\n" }
            lifecycle.request(words.contains("elegant") ? .elegant : .now)
            return "+OK\n"
        })
        commands.register(APICommand(name: "reloadacl", syntax: "", summary: "Reload the ACLs") { _ in
            switch runtime.store.reloadXML() {
            case .reloaded: return "+OK acl reloaded\n"
            case .keptRunningConfiguration(let errors): return "-ERR [" + errors.map(\.description).joined(separator: "; ") + "]\n"
            }
        })
    }
}
