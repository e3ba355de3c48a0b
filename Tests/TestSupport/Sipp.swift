import Foundation

/// Runs sipp on loopback with a scenario from `Tests/Interop/scenarios`, bounded in time,
/// and reports its exit status and statistics.
public struct Sipp {
    public struct Result: CustomStringConvertible {
        public let status: Int32
        public let output: String
        public let statistics: String

        public var description: String { "sipp exited \(status)\n\(output)\n\(statistics)" }

        /// A value from sipp's final statistics CSV, e.g. "SuccessfulCall(C)".
        public func statistic(_ name: String) -> Int? {
            let lines = statistics.split(separator: "\n")
            guard lines.count >= 2 else { return nil }
            let names = lines[0].split(separator: ";", omittingEmptySubsequences: false)
            let values = lines[lines.count - 1].split(separator: ";", omittingEmptySubsequences: false)
            guard let index = names.firstIndex(where: { $0 == name }), index < values.count else { return nil }
            return Int(values[index])
        }
    }

    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/sipp")
    }

    /// The path of a scenario of `Tests/Interop/scenarios`, or `name` itself when it is a path.
    public static func scenario(_ name: String) -> String {
        name.hasPrefix("/") ? name : RepositoryPaths.root() + "/Tests/Interop/scenarios/\(name).xml"
    }

    /// A copy of a scenario with `[key]` texts replaced, for what sipp checks when it loads a
    /// scenario (status codes), where its `-key` values do not reach.
    public static func customized(_ name: String, _ replacements: [String: String]) throws -> String {
        var text = try String(contentsOfFile: scenario(name), encoding: .utf8)
        for (key, value) in replacements { text = text.replacingOccurrences(of: "[\(key)]", with: value) }
        let path = NSTemporaryDirectory() + "scenario-" + UUID().uuidString + ".xml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A sipp playing a server (a gateway, a registrar) in the background on `port`, until
    /// `stop()` or `limit` seconds.
    public final class Server {
        public let port: Int
        private let process = Process()
        private let directory: String

        /// `calls` ends sipp after that many calls (scenario runs).
        public init(scenario: String, port: Int? = nil, calls: Int? = nil, limit: Int = 120, arguments: [String] = []) throws {
            self.port = try port ?? FreePort.udpAndTCP()
            directory = NSTemporaryDirectory() + "sipp-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let mediaPort = try FreePort.udpAndTCP()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sipp")
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.arguments = ["-sf", Sipp.scenario(scenario), "-i", "127.0.0.1", "-p", String(self.port), "-mp", String(mediaPort),
                                 "-ci", "127.0.0.1", "-nostdin", "-timeout", "\(limit)s", "-trace_err"]
                + (calls.map { ["-m", String($0)] } ?? []) + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Ready once it holds its port (UDP, or TCP with -t t1): a fixed pause was too short
            // when the whole suite loads the machine.
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && !FreePort.isInUse(self.port) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        }

        public var isRunning: Bool { process.isRunning }

        /// Waits for sipp to end by itself (a bounded scenario), up to `seconds`.
        public func waitForExit(seconds: Double) -> Int32? {
            process.waitForExit(seconds: seconds)
        }

        /// Stops sipp and waits until it is gone, so that its port is free again.
        public func stop() {
            process.stop(grace: 2)
            try? FileManager.default.removeItem(atPath: directory)
        }

        deinit { stop() }
    }

    /// Runs sipp against 127.0.0.1:`port`; `arguments` are added as they are. The process is
    /// killed after `limit` seconds whatever it is doing.
    public static func run(scenario: String, port: Int, calls: Int, arguments: [String] = [], limit: Double = 60,
                           receiveTimeout: Int = 10, localIP: String = "127.0.0.1") throws -> Result {
        let directory = NSTemporaryDirectory() + "sipp-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let statistics = directory + "/stats.csv"
        let localPort = try FreePort.udpAndTCP()
        let mediaPort = try FreePort.udpAndTCP()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sipp")
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.arguments = [
            "127.0.0.1:\(port)", "-sf", Self.scenario(scenario), "-m", String(calls),
            "-i", localIP, "-p", String(localPort), "-mp", String(mediaPort), "-ci", localIP,
            "-nostdin", "-timeout", "\(Int(limit))s", "-recv_timeout", "\(receiveTimeout)s",
            "-trace_stat", "-stf", statistics, "-fd", "3600",
        ] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        if process.waitForExit(seconds: limit + 5) == nil { process.stop(grace: 0.5) }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stats = (try? String(contentsOfFile: statistics, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, output: String(output.suffix(4000)), statistics: stats)
    }
}
