import Foundation
import TestSupport
import Testing

/// `contrib/distributor.service` names commands and options the binary has, and systemd
/// accepts it.
struct SystemdUnitTests {
    private let unit = RepositoryPaths.root() + "/contrib/distributor.service"

    /// The unit's `Key=` command lines, with the installed paths swapped for this checkout's.
    private func commandLine(_ key: String) throws -> [String] {
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(key + "=") })
        return line.dropFirst(key.count + 1).split(separator: " ").map {
            $0.replacingOccurrences(of: "/usr/local/bin/distributor", with: ServiceProcess.binary)
                .replacingOccurrences(of: "/etc/distributor", with: RepositoryPaths.root())
        }
    }

    private func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if process.waitForExit(seconds: 30) == nil { process.stop(grace: 1) }
        return process.terminationStatus
    }

    @Test func checkBeforeStartPassesOnTheBundledConfiguration() throws {
        #expect(try run(commandLine("ExecStartPre")) == 0)
    }

    @Test func serveAcceptsTheUnitsOptions() throws {
        // A configuration directory that does not exist: serve stops at loading (1), after
        // the options were accepted (a usage error would be 64).
        let arguments = try commandLine("ExecStart")
        #expect(try run([arguments[0]] + arguments.dropFirst().map { $0.replacingOccurrences(of: RepositoryPaths.root(), with: "/nonexistent") }) == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze is not installed"))
    func systemdAcceptsTheUnit() throws {
        let copy = NSTemporaryDirectory() + "distributor-\(UUID().uuidString).service"
        let text = try String(contentsOfFile: unit, encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/distributor", with: ServiceProcess.binary)
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        #expect(try run(["/usr/bin/systemd-analyze", "verify", copy]) == 0)
    }
}
