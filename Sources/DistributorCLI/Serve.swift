import ArgumentParser
import Configuration
import Control
import Bridge
import EventSocket
import Events
import Foundation
import Gateways
import Logging
import NIOCore
import NIOPosix
import SIPEndpoint
import SIPTransaction
import SIPTransport

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service on the configuration and dialplan (the default)."
    )

    @OptionGroup var tree: TreeOptions

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        bootstrapLogging(level: logLevel)
        let logger = Logger(label: "distributor")
        let loader = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
        let configuration = try loadOrExplain(loader)
        let runtime = ServiceRuntime(loader: loader, configuration: configuration, logger: logger)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        var stacks: [SIPStack] = []
        for profile in configuration.profiles {
            var timers = TransactionTimers()
            if let t1 = profile.timerT1 { timers.t1 = .milliseconds(t1) }
            if let t2 = profile.timerT2 { timers.t2 = .milliseconds(t2) }
            if let t4 = profile.timerT4 { timers.t4 = .milliseconds(t4) }
            stacks.append(SIPStack(
                configuration: SIPStackConfiguration(host: profile.sipIP, port: profile.sipPort, timers: timers,
                                                     advertisedHost: profile.externalSIPIP),
                group: group,
                logger: Logger(label: "sofia/\(profile.name)")
            ))
        }
        let gateways = GatewayManager(
            profiles: zip(configuration.profiles, stacks).map { GatewayManager.Profile(name: $0.name, stack: $1) },
            logger: Logger(label: "sofia")
        )
        let calls = CallTable()
        let events = EventBus()
        do {
            for (profile, stack) in zip(configuration.profiles, stacks) {
                let settings = B2BUA.Settings(
                    profile: profile.name, context: profile.context,
                    acl: { profile.inboundACL.flatMap(runtime.store.current.accessControlList(named:)) },
                    limits: CallLimits(maxSessions: profile.settings["max-sessions"].flatMap { Int($0) } ?? 100_000,
                                       sessionsPerSecond: profile.settings["sessions-per-second"].flatMap { Int($0) } ?? 30_000)
                )
                let b2bua = B2BUA(settings: settings, stack: stack, gateways: gateways, calls: calls, group: group, events: events,
                                  logger: Logger(label: "bridge/\(profile.name)")) {
                    runtime.dialplanEnvironment(externalApplications: ["bridge"])
                }
                try await stack.start(user: StatelessEndpoint(next: b2bua))
            }
        } catch {
            logger.critical("cannot listen: \(error)")
            for stack in stacks { await stack.shutdown() }
            try await group.shutdownGracefully()
            throw ExitCode(1)
        }
        gateways.start(configuration, on: group.next())
        runtime.health.provide { gateways.downNames() }
        gateways.onEvent { change in
            events.publish(Event(name: "CUSTOM", subclass: "sofia::gateway_state", headers: [
                ("Gateway", change.gateway), ("Profile-Name", change.profile), ("State", change.state.rawValue),
                ("Ping-Status", change.pingStatus.rawValue), ("Status", String(change.status)), ("Phrase", change.phrase),
            ]))
        }
        let eventSocket = EventSocketServer(
            configuration: configuration.eventSocket,
            acl: configuration.accessControlList(named: configuration.eventSocket.applyInboundACL),
            commands: runtime.commands, bus: events, logger: Logger(label: "event_socket")
        )
        do {
            try await eventSocket.start(group: group)
        } catch {
            logger.error("event socket not started on \(configuration.eventSocket.listenIP):\(configuration.eventSocket.listenPort): \(error)")
        }
        SofiaCommands.register(in: runtime.commands, gateways: gateways) { runtime.store.current }
        CallCommands.register(in: runtime.commands, calls: calls)
        let lists = runtime.lists.lists.map(\.name).joined(separator: ", ")
        logger.info("ready: \(configuration.profiles.count) profile(s), distributor lists: \(lists.isEmpty ? "(none)" : lists)")
        await waitForTermination()
        logger.info("stopping")
        gateways.stop()
        await eventSocket.stop()
        for stack in stacks { await stack.shutdown() }
        try await group.shutdownGracefully()
    }

    private func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            let sources = [SIGINT, SIGTERM].map { number in
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if once.claim() { continuation.resume() }
                }
                source.resume()
                return source
            }
            SignalSources.keep(sources)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Keeps the signal sources alive for the process's life.
enum SignalSources {
    nonisolated(unsafe) static var retained: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { retained = sources }
}

/// True exactly once, from any thread.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
