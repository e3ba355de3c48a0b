import Foundation

/// Runs `distributor serve` on a configuration of its own with free ports, waits until it says
/// it is ready, and stops it when the test is over.
public final class ServiceProcess: @unchecked Sendable {
    public let process = Process()
    public let tree: TemporaryTree
    public let sipPort: Int
    public let eslPort: Int
    public let metricsPort: Int
    private let output = Pipe()
    private let collected = NSMutableData()
    private let lock = NSLock()

    /// The built `distributor` binary, next to the test bundle.
    public static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var directory = bundle
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("distributor").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return RepositoryPaths.root() + "/.build/debug/distributor"
    }

    /// `profileSettings` and `eventSocketSettings` are `<param>`s added to the generated profile
    /// and event socket configuration; `files` add or replace files of the tree.
    /// `sipPort`: when the test needs to know it before the service starts.
    public init(files: [String: String] = [:], profileSettings: String = "", eventSocketSettings: String = "", arguments: [String] = [],
                sipPort: Int? = nil) throws {
        self.sipPort = try sipPort ?? FreePort.udpAndTCP()
        eslPort = try FreePort.udpAndTCP()
        metricsPort = try FreePort.udpAndTCP()
        var all: [String: String] = [
            "conf/autoload_configs/event_socket.conf.xml": """
                <configuration name="event_socket.conf"><settings>
                  <param name="listen-ip" value="127.0.0.1"/><param name="listen-port" value="\(eslPort)"/>
                  <param name="password" value="ClueCon"/>
                  \(eventSocketSettings)
                </settings></configuration>
                """,
            "conf/autoload_configs/metrics.conf.xml": """
                <configuration name="metrics.conf"><settings>
                  <param name="listen-ip" value="127.0.0.1"/><param name="listen-port" value="\(metricsPort)"/>
                </settings></configuration>
                """,
            "conf/autoload_configs/distributor.conf.xml": """
                <configuration name="distributor.conf"><lists>
                  <list name="2gw"><node name="gw1" weight="1"/><node name="gw2" weight="1"/></list>
                </lists></configuration>
                """,
            "conf/autoload_configs/acl.conf.xml": """
                <configuration name="acl.conf"><network-lists>
                  <list name="callers" default="deny"><node type="allow" cidr="127.0.0.0/8"/></list>
                </network-lists></configuration>
                """,
            "conf/sip_profiles/external.xml": """
                <profile name="external">
                  <gateways><X-PRE-PROCESS cmd="include" data="external/*.xml"/></gateways>
                  <settings>
                    <param name="sip-ip" value="127.0.0.1"/>
                    <param name="sip-port" value="\(self.sipPort)"/>
                    <param name="context" value="default"/>
                    <param name="apply-inbound-acl" value="callers"/>
                    \(profileSettings)
                  </settings>
                </profile>
                """,
            "dialplan/default.xml": "<include><context name=\"default\"/></include>",
        ]
        for (path, text) in files { all[path] = text }
        tree = try TemporaryTree(all)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--conf", tree.path("conf"), "--dialplan", tree.path("dialplan")] + arguments
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.collected.append(data)
            self.lock.unlock()
        }
        try process.run()
        try waitFor("ready:", seconds: 20)
    }

    public var log: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected as Data, as: UTF8.self)
    }

    /// Waits until the log contains `text`, polling; fails after `seconds`.
    public func waitFor(_ text: String, seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return }
            guard process.isRunning else { throw ServiceError.exited(log) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServiceError.timedOut(text, log)
    }

    /// Sends a signal (SIGTERM, SIGHUP) and leaves the process running.
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit by itself; its exit status, or nil after `seconds`.
    public func waitForExit(seconds: Double) -> Int32? {
        process.waitForExit(seconds: seconds)
    }

    public func stop() {
        process.stop(grace: 10)
        output.fileHandleForReading.readabilityHandler = nil
    }

    deinit { stop() }

    public enum ServiceError: Error, CustomStringConvertible {
        case exited(String)
        case timedOut(String, String)

        public var description: String {
            switch self {
            case .exited(let log): return "distributor exited early:\n\(log)"
            case .timedOut(let text, let log): return "no \"\(text)\" in time:\n\(log)"
            }
        }
    }
}
