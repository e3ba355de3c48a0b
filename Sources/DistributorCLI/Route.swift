import ArgumentParser
import Configuration
import Control
import Dialplan
import Gateways
import Logging
import NIOPosix
import SIPTransport

struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show how the dialplan routes a call: the extensions that match and the actions it would run."
    )

    @OptionGroup var tree: TreeOptions

    @Argument(help: "The destination number.")
    var destination: String

    @Option(help: "The dialplan context.")
    var context = "default"

    @Option(help: "The caller's number (caller_id_number).")
    var caller = "1000"

    @Option(name: .customLong("var"), parsing: .singleValue, help: "A channel variable, name=value (repeatable).")
    var variables: [String] = []

    func run() throws {
        bootstrapLogging()
        let loader = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
        let configuration = try loadOrExplain(loader)
        let runtime = ServiceRuntime(loader: loader, configuration: configuration)
        // Gateways as a freshly started service sees them (register=false UP, register=true DOWN),
        // so that `sofia ... gwlist` in the dialplan expands as it would.
        var quiet = Logger(label: "route")
        quiet.logLevel = .critical
        let gateways = GatewayManager(profiles: configuration.profiles.map { profile in
            GatewayManager.Profile(name: profile.name, stack: SIPStack(configuration: SIPStackConfiguration(port: 0),
                                                                      group: MultiThreadedEventLoopGroup.singleton, logger: quiet))
        }, logger: quiet)
        gateways.start(configuration, on: MultiThreadedEventLoopGroup.singleton.next())
        defer { gateways.stop() }
        SofiaCommands.register(in: runtime.commands, gateways: gateways) { configuration }
        runtime.health.provide { gateways.downNames() }
        var channel: [String: String] = [:]
        for assignment in variables {
            guard let equals = assignment.firstIndex(of: "=") else {
                throw ValidationError("--var takes name=value, got \"\(assignment)\"")
            }
            channel[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        let profile = CallerProfile(destinationNumber: destination, callerIDNumber: caller, callerIDName: caller,
                                    networkAddress: "127.0.0.1", context: context)
        var session = DialplanSession(caller: profile, variables: channel,
                                      environment: runtime.dialplanEnvironment(externalApplications: ["bridge"]))
        var step = session.start()
        while case .execute = step { step = session.next() }
        guard case .finished(let outcome) = step else { return }

        if session.matched.isEmpty {
            print("no extension matches \(destination) in context \(context)")
        }
        for match in session.matched {
            print("extension \"\(match.name)\" (context \(match.context))  \(match.location)")
        }
        for action in session.trace {
            let inline = action.inline ? " (inline, while hunting)" : ""
            print("  \(action.application)(\(action.data))\(inline)  \(action.location)")
        }
        print("then: \(describe(outcome))")
    }

    private func describe(_ outcome: DialplanOutcome) -> String {
        switch outcome {
        case .noRoute: return "NO_ROUTE_DESTINATION (404)"
        case .hangup(let cause): return "hang up \(cause)"
        case .respond(let status, let reason): return "respond \(status)\(reason.map { " \($0)" } ?? "")"
        case .endOfDialplan: return "end of dialplan, NORMAL_CLEARING"
        }
    }
}
