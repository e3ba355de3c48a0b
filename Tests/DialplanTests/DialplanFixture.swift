import APICommands
import Configuration
import Dialplan
import Logging
import TestSupport

/// A dialplan written to a temporary tree, loaded as the service loads it, and a way to run
/// calls through it.
final class DialplanFixture {
    let tree: TemporaryTree
    let commands: CommandRegistry
    let environment: DialplanEnvironment

    init(_ contextBody: String, context: String = "default", commands: CommandRegistry = CommandRegistry(),
         otherFiles: [String: String] = [:], globals: [String: String] = [:], externalApplications: Set<String> = ["bridge"],
         clock: @escaping @Sendable () -> LocalTime = { DialplanFixture.noon }) throws {
        tree = try TemporaryTree([
            "conf/autoload_configs/x.conf.xml": "<configuration name=\"x\"/>",
            "dialplan/test.xml": "<include>\n<context name=\"\(context)\">\n\(contextBody)\n</context>\n</include>\n",
        ])
        for (path, text) in otherFiles { try tree.write(path, text) }
        self.commands = commands
        let configuration = ConfigurationLoader(configurationDirectory: tree.path("conf"), dialplanDirectory: tree.path("dialplan")).load()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        environment = DialplanEnvironment(
            dialplan: CompiledDialplan(configuration.dialplan),
            expander: VariableExpander(commands: commands, globals: globals, logger: logger),
            externalApplications: externalApplications,
            clock: clock,
            logger: logger
        )
    }

    /// Runs a call to `destination`, answering every external step as if it ran, and returns
    /// the session and its outcome.
    func call(_ destination: String, context: String = "default", variables: [String: String] = [:]) -> (DialplanSession, DialplanOutcome, [String]) {
        var session = DialplanSession(caller: CallerProfile(destinationNumber: destination, callerIDNumber: "1000", context: context),
                                      variables: variables, environment: environment)
        var external: [String] = []
        var step = session.start()
        while case .execute(let application, let data, _) = step {
            external.append("\(application)(\(data))")
            step = session.next()
        }
        guard case .finished(let outcome) = step else { fatalError("unreachable") }
        return (session, outcome, external)
    }

    /// Wednesday 2026-11-18 12:30:00.
    static let noon = LocalTime(year: 2026, month: 11, day: 18, weekday: 4, yearDay: 322, hour: 12, minute: 30, second: 0)
}

/// Every action the call ran, `app(data)`, built-in and external alike.
extension DialplanSession {
    var ran: [String] { trace.map { "\($0.application)(\($0.data))" } }
}
