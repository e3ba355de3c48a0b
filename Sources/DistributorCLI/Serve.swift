import ArgumentParser
import Configuration
import Control
import Bridge
import EventSocket
import Events
import Foundation
import Gateways
import IPAddressing
import Logging
import Metrics
import NIOCore
import NIOPosix
import Observability
import SIPEndpoint
import SIPTransaction
import SIPTransport
import TextTrimming

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service on the configuration and dialplan (the default)."
    )

    @OptionGroup var tree: TreeOptions

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "human (one line per entry, for a terminal) or json (one object per line, for log collectors).")
    var logFormat: LogFormat = .human

    @Option(help: "On SIGTERM or fsctl shutdown elegant, seconds to let calls finish before ending them.")
    var shutdownGrace: Int = 30

    @Option(help: "Event-loop threads (default: one per core). Where other busy processes share the cores, fewer threads can carry more calls: each thread then sleeps and wakes less often, and a call's messages stay on one core.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() async throws {
        bootstrapLogging(level: logLevel, format: logFormat)
        let metrics = MetricsRegistry.bootstrap()
        let started = ContinuousClock.now
        let logger = Logger(label: "distributor")
        let loader = ConfigurationLoader(configurationDirectory: tree.configurationDirectory, dialplanDirectory: tree.dialplanDirectory)
        let configuration = try loadOrExplain(loader)
        let runtime = ServiceRuntime(loader: loader, configuration: configuration, logger: logger)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads ?? System.coreCount)
        var stacks: [SIPStack] = []
        for profile in configuration.profiles {
            var timers = TransactionTimers()
            if let t1 = profile.timerT1 { timers.t1 = .milliseconds(t1) }
            if let t2 = profile.timerT2 { timers.t2 = .milliseconds(t2) }
            if let t4 = profile.timerT4 { timers.t4 = .milliseconds(t4) }
            var stackConfiguration = SIPStackConfiguration(host: profile.sipIP, port: profile.sipPort, timers: timers,
                                                           advertisedHost: profile.externalSIPIP, profile: profile.name)
            if let rate = profile.rateLimitRequests {
                stackConfiguration.rateLimit = rate == 0 ? nil
                    : SourceRateLimiter.Settings(requestsPerSecond: rate, burst: profile.rateLimitBurst ?? 2 * rate)
            } else if let burst = profile.rateLimitBurst {
                stackConfiguration.rateLimit?.burst = burst
            }
            if let connections = profile.tcpConnectionsPerAddress { stackConfiguration.tcpConnectionsPerAddress = connections }
            switch profile.overloadQueueDelay {
            case nil: stackConfiguration.overload = .default
            case 0: stackConfiguration.overload = nil
            case let delay?: stackConfiguration.overload = OverloadPolicy(maxQueueDelay: .milliseconds(Int64(delay)))
            }
            if let exemptACL = profile.rateLimitExemptACL {
                stackConfiguration.rateLimitExempt = { address in
                    guard let ip = address.ipAddress.flatMap(IPAddress.init) else { return false }
                    return runtime.store.current.accessControlList(named: exemptACL)?.allows(ip) ?? false
                }
            }
            stacks.append(SIPStack(
                configuration: stackConfiguration,
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
                let settings = B2BUA.Settings(profile: profile) { runtime.store.current.accessControlList(named: $0) }
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
        let running = stacks
        // Lingering transactions (up to 32 s after a call) are freed while idle too: trimming
        // again every 10 s hands their pages back once they are gone.
        let trimmer = IdleMemoryTrimmer.start(on: group.next()) { calls.count == 0 }
        metrics.addCollector {
            for stack in running {
                Gauge(label: "sip_transactions", dimensions: [("profile", stack.configuration.profile)]).record(stack.transactionCount)
            }
        }
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
        // The ACL is looked up at each request, so that `reloadacl` and `reloadxml` apply to it.
        let statusServer = StatusHTTPServer(metrics: metrics, logger: Logger(label: "metrics"), admits: { source in
            guard let address = IPAddress(source) else { return false }
            let current = runtime.store.current
            return current.accessControlList(named: current.metrics.applyInboundACL)?.allows(address) ?? false
        }) {
            StatusSnapshot(
                version: ServiceCommands.version, uptimeSeconds: Int((ContinuousClock.now - started).components.seconds),
                activeCalls: calls.count, totalCalls: calls.statistics.total, gateways: gateways.summaries(),
                lists: runtime.lists.lists.map { list in
                    StatusSnapshot.List(name: list.name, nodes: zip(list.nodes, list.picks).map {
                        StatusSnapshot.ListNode(name: $0.name, weight: $0.weight, picks: $1)
                    })
                }
            )
        }
        if configuration.metrics.enabled {
            do {
                try await statusServer.start(host: configuration.metrics.listenIP, port: configuration.metrics.listenPort, group: group)
            } catch {
                logger.error("metrics and status page not started on \(configuration.metrics.listenIP):\(configuration.metrics.listenPort): \(error)")
            }
        }
        SofiaCommands.register(in: runtime.commands, gateways: gateways) { runtime.store.current }
        CallCommands.register(in: runtime.commands, calls: calls)
        let lifecycle = ServiceLifecycle()
        ServiceCommands.register(in: runtime.commands, runtime: runtime, calls: calls, lifecycle: lifecycle,
                                 maxSessions: configuration.profiles.compactMap { $0.settings["max-sessions"].flatMap { Int($0) } }.max() ?? 100_000)
        let signals = SignalHandling(lifecycle: lifecycle) {
            logger.notice("SIGHUP: reloading")
            for line in ["reloadxml", "distributor_ctl reload"] + configuration.profiles.map({ "sofia profile \($0.name) rescan" }) {
                logger.notice("\(line): \(runtime.commands.execute(line: line).trimmed())")
            }
        }
        let lists = runtime.lists.lists.map(\.name).joined(separator: ", ")
        logger.info("ready: \(configuration.profiles.count) profile(s), distributor lists: \(lists.isEmpty ? "(none)" : lists)")
        let stop = await lifecycle.wait()
        signals.cancel()
        calls.draining.store(true, ordering: .relaxed)
        if stop == .elegant && calls.count > 0 {
            logger.notice("shutting down: no new calls; waiting up to \(shutdownGrace) s for \(calls.count) call(s) to finish")
            let deadline = ContinuousClock.now + .seconds(shutdownGrace)
            while calls.count > 0 && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        }
        if calls.count > 0 {
            logger.notice("ending \(calls.count) call(s)")
            _ = runtime.commands.execute(line: "hupall SYSTEM_SHUTDOWN")
            let deadline = ContinuousClock.now + .seconds(3)
            while calls.count > 0 && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            // Let the BYEs leave before the sockets close.
            try? await Task.sleep(for: .milliseconds(300))
        }
        logger.info("stopping")
        trimmer.cancel()
        gateways.stop()
        await eventSocket.stop()
        await statusServer.stop()
        for stack in stacks { await stack.shutdown() }
        try await group.shutdownGracefully()
    }

}

extension Logger.Level: @retroactive ExpressibleByArgument {}
