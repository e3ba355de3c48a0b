import ArgumentParser
import Configuration
import Foundation

struct API: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Run an API command on the running service through its event socket, like fs_cli -x."
    )

    @OptionGroup var tree: TreeOptions

    @Option(name: [.customShort("H"), .long], help: "Event socket host (default: listen-ip of event_socket.conf).")
    var host: String?

    @Option(name: [.customShort("P"), .long], help: "Event socket port (default: listen-port of event_socket.conf).")
    var port: Int?

    @Option(name: [.customShort("p"), .long], help: "Event socket password (default: password of event_socket.conf).")
    var password: String?

    @Option(help: "Follow these events (e.g. \"CUSTOM sofia::gateway_state\") until interrupted.")
    var events: String?

    @Argument(help: "The command, e.g. \"sofia profile external gwlist down\".")
    var command: [String] = []

    func validate() throws {
        if command.isEmpty && events == nil { throw ValidationError("give a command, or --events") }
    }

    func run() throws {
        let settings = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
            .load().eventSocket
        let listenIP = settings.listenIP == "::" || settings.listenIP == "0.0.0.0" ? "127.0.0.1" : settings.listenIP
        var client: EventSocketClient
        do {
            client = try EventSocketClient(host: host ?? listenIP, port: port ?? settings.listenPort)
            try client.authenticate(password: password ?? settings.password)
        } catch {
            FileHandle.standardError.write(Data("distributor api: \(error)\n".utf8))
            throw ExitCode(1)
        }
        defer { client.close() }
        if let events {
            try client.send("event plain \(events)\n\n")
            _ = try client.read()
            while true {
                let message = try client.read()
                print(message.body, terminator: "")
                FileHandle.standardOutput.synchronizeFile()
            }
        }
        try client.send("api \(command.joined(separator: " "))\n\n")
        let reply = try client.read()
        print(reply.body, terminator: reply.body.hasSuffix("\n") || reply.body.isEmpty ? "" : "\n")
        try? client.send("exit\n\n")
        if reply.body.hasPrefix("-ERR") { throw ExitCode(1) }
    }
}
