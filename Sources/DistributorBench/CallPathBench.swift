import Bridge
import Configuration
import Control
import Dispatch
import Events
import Foundation
import Gateways
import Logging
import NIOPosix
import SIPEndpoint
import SIPTransport
import Synchronization

/// The whole path of a call through the service in one process: the bundled tree's external
/// profile on one event-loop thread (parser, transactions, B2BUA, dialplan, distributor,
/// serializer, UDP), driven by `LoopbackPeers` on 127.0.0.1, with no sipp and no other process.
/// The figure is the CPU time per call of the service and the peers together; with one call in
/// flight, every message wakes the other thread, and the wake-ups cost more than the work.
/// Run under callgrind with collection on the event loop only (bench/instructions.py), it
/// counts the service's instructions per call exactly, which no timing on a shared machine can.
enum CallPathBench {
    /// Mean CPU nanoseconds (user and system, the whole process) per call over `calls`, after `warmUp` calls.
    static func run(calls: Int, inFlight: Int, warmUp: Int) throws -> Double {
        var quiet = Logger(label: "bench")
        quiet.logLevel = .critical
        let peers = try LoopbackPeers(gatewayCount: 2)
        let tree = try copiedTree(gatewayPorts: peers.gatewayPorts)
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let loader = ConfigurationLoader(configurationDirectory: tree + "/conf", dialplanDirectory: tree + "/dialplan")
        let configuration = loader.load()
        let runtime = ServiceRuntime(loader: loader, configuration: configuration, logger: quiet)
        guard let profile = configuration.profiles.first(where: { $0.name == "external" }) else {
            throw LoopbackPeers.Failure(description: "the bundled tree has no external profile")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        // No per-source rate limit and no overload guard (`serve` has both): one caller sends as
        // fast as it is answered, and the count is of the call path alone.
        let stack = SIPStack(configuration: SIPStackConfiguration(host: "127.0.0.1", port: 0, transports: [.udp], rateLimit: nil,
                                                                  profile: profile.name),
                             group: group, logger: quiet)
        let gateways = GatewayManager(profiles: [GatewayManager.Profile(name: profile.name, stack: stack)], logger: quiet)
        let settings = B2BUA.Settings(profile: profile) { runtime.store.current.accessControlList(named: $0) }
        let b2bua = B2BUA(settings: settings, stack: stack, gateways: gateways, calls: CallTable(), group: group, events: EventBus(),
                          logger: quiet) { runtime.dialplanEnvironment(externalApplications: ["bridge"]) }
        try waitFor { try await stack.start(user: StatelessEndpoint(next: b2bua)) }
        defer { try? waitFor { await stack.shutdown() } }
        gateways.start(configuration, on: group.next())
        defer { gateways.stop() }
        runtime.health.provide { gateways.downNames() }
        SofiaCommands.register(in: runtime.commands, gateways: gateways) { runtime.store.current }

        try peers.call(0..<warmUp, inFlight: inFlight, destination: "9980", servicePort: stack.port)
        let start = cpuNanoseconds()
        try peers.call(warmUp..<(warmUp + calls), inFlight: inFlight, destination: "9980", servicePort: stack.port)
        return Double(cpuNanoseconds() - start) / Double(max(1, calls))
    }

    private static func cpuNanoseconds() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000_000 + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1_000
    }

    /// A copy of the bundled conf/ and dialplan/ (from the working directory) with the two
    /// gateways moved to the peers' ports.
    private static func copiedTree(gatewayPorts: [Int]) throws -> String {
        let files = FileManager.default
        let tree = files.temporaryDirectory.appendingPathComponent("call-path-\(getpid())").path
        try? files.removeItem(atPath: tree)
        try files.createDirectory(atPath: tree, withIntermediateDirectories: true)
        for directory in ["conf", "dialplan"] { try files.copyItem(atPath: directory, toPath: tree + "/" + directory) }
        for (number, port) in zip([1, 2], gatewayPorts) {
            let path = tree + "/conf/sip_profiles/external/gw\(number).xml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let bundled = "127.0.0.1:\(5090 + number)"
            guard text.contains(bundled) else { throw LoopbackPeers.Failure(description: "\(path) no longer names \(bundled)") }
            try text.replacingOccurrences(of: bundled, with: "127.0.0.1:\(port)").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return tree
    }

    /// Runs async work from the benchmark's synchronous main thread, for 30 s at most.
    private static func waitFor(_ work: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task {
            do { try await work() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        guard done.wait(timeout: .now() + 30) == .success else { throw LoopbackPeers.Failure(description: "the stack did not start or stop within 30 s") }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
