import APICommands
import Configuration
import Events
import Foundation
import IPAddressing
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The inbound event socket on `listen-ip`:`listen-port`: FreeSWITCH's framing, its ACL check
/// and password, API commands run in order, background jobs, and events to every subscriber
/// through a bounded queue, so that a slow client is disconnected rather than slowing calls.
public final class EventSocketServer: Sendable {
    public static let maximumQueuedEvents = 5_000

    let configuration: EventSocketConfiguration
    let acl: AccessControlList?
    let commands: CommandRegistry
    let bus: EventBus
    let logger: Logger
    private let channel = Mutex<(any Channel)?>(nil)
    let admission: Mutex<ESLAdmission>
    /// A blocked client waits this long for its rejection, so guessing passwords stays slow.
    static let blockedDelay = TimeAmount.seconds(2)
    private let lastRefusalLog = Mutex<ContinuousClock.Instant?>(nil)

    public init(configuration: EventSocketConfiguration, acl: AccessControlList?, commands: CommandRegistry, bus: EventBus, logger: Logger) {
        self.configuration = configuration
        self.acl = acl
        self.commands = commands
        self.bus = bus
        self.logger = logger
        admission = Mutex(ESLAdmission(limits: .init(
            maxConnections: configuration.maxConnections, maxConnectionsPerSource: configuration.maxConnectionsPerSource,
            maxAuthFailures: configuration.maxAuthFailures, blockSeconds: configuration.authFailureBlockSeconds
        )))
    }

    /// Logs a refused connection, at most once a second, so a connection flood cannot flood the log.
    func logRefusal(_ line: @autoclosure () -> String) {
        let now = ContinuousClock.now
        let due = lastRefusalLog.withLock { last in
            guard last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
            last = now
            return true
        }
        if due { logger.warning("\(line())") }
    }

    public func start(group: any EventLoopGroup) async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EventSocketConnection(server: self))
                }
            }
            .bind(host: configuration.listenIP, port: configuration.listenPort).get()
        channel.withLock { $0 = server }
        logger.info("event socket listening on \(configuration.listenIP):\(server.localAddress?.port ?? configuration.listenPort)")
    }

    public var port: Int? { channel.withLock { $0?.localAddress?.port } }

    public func stop() async {
        if let server = channel.withLock({ $0 }) { try? await server.close() }
    }

    func allows(_ address: SocketAddress?) -> Bool {
        guard let acl else { return true }
        guard let ip = address?.ipAddress, let parsed = IPAddress(ip) else { return false }
        return acl.allows(parsed)
    }
}

/// One client connection; touched only on its channel's event loop.
final class EventSocketConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: EventSocketServer
    private var reader = ESLCommandReader()
    private var session: ESLSession
    private var subscription: UUID?
    private let queued = QueuedCount()
    private var admittedSource: String?

    init(server: EventSocketServer) {
        self.server = server
        session = ESLSession(password: server.configuration.password)
    }

    func channelActive(context: ChannelHandlerContext) {
        guard server.allows(context.channel.remoteAddress) else {
            server.logger.warning("event socket: \(context.channel.remoteAddress?.ipAddress ?? "?") refused by ACL \(server.acl?.name ?? "")")
            write(ESLFraming.rudeRejection, context: context)
            context.close(promise: nil)
            return
        }
        let source = context.channel.remoteAddress?.ipAddress ?? "?"
        let decision = server.admission.withLock { $0.open(source, at: .now) }
        switch decision {
        case .admit:
            admittedSource = source
            write(ESLFraming.greeting, context: context)
        case .tooManyConnections:
            server.logRefusal("event socket: \(source) refused: \(server.configuration.maxConnections) clients connected (max-connections)")
            write(ESLFraming.rejection("Too many connections, try later.\n"), context: context)
            context.close(promise: nil)
        case .tooManyFromSource:
            server.logRefusal("event socket: \(source) refused: \(server.configuration.maxConnectionsPerSource) clients from this address (max-connections-per-source)")
            write(ESLFraming.rejection("Too many connections from your address, try later.\n"), context: context)
            context.close(promise: nil)
        case .blocked(let remaining):
            admittedSource = source
            server.logRefusal("event socket: \(source) refused: blocked for \(remaining.components.seconds) s more after failed auth attempts")
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: EventSocketServer.blockedDelay) {
                self.write(ESLFraming.rejection("Too many failed auth attempts, try later.\n"), context: loopBound.value)
                loopBound.value.close(promise: nil)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let source = admittedSource { server.admission.withLock { $0.closed(source) } }
        admittedSource = nil
        if let subscription { server.bus.unsubscribe(subscription) }
        subscription = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reader.append(unwrapInboundIn(data).readableBytesView)
        do {
            while let command = try reader.next() {
                for output in session.handle(command) {
                    guard perform(output, context: context) else { return }
                }
            }
        } catch {
            server.logger.warning("event socket: client sent an oversized command; disconnected")
            context.close(promise: nil)
        }
    }

    /// false once the connection is closing.
    private func perform(_ output: ESLSession.Output, context: ChannelHandlerContext) -> Bool {
        switch output {
        case .write(let text):
            write(text, context: context)
        case .authFailed:
            let source = context.channel.remoteAddress?.ipAddress ?? "?"
            let limits = server.admission.withLock { $0.limits }
            if server.admission.withLock({ $0.authFailed(source, at: .now) }) {
                server.logger.warning("event socket: \(source) blocked for \(limits.blockSeconds) s after \(limits.maxAuthFailures) failed auth attempts")
            } else {
                server.logger.notice("event socket: failed auth from \(source)")
            }
        case .runAPI(let line):
            var body = server.commands.execute(line: line)
            if body.isEmpty { body = "-ERR no reply\n" }
            write(ESLFraming.apiResponse(body), context: context)
        case .runBackground(let job, let line):
            let commands = server.commands
            let bus = server.bus
            DispatchQueue.global().async {
                let (name, arguments) = CommandRegistry.splitCommandLine(line)
                let body = commands.execute(line: line)
                bus.publish(Event(name: "BACKGROUND_JOB", headers: [
                    ("Job-UUID", job), ("Job-Command", name), ("Job-Command-Arg", arguments),
                ], body: body))
            }
        case .subscribe(let format, let filter):
            if let subscription { server.bus.unsubscribe(subscription) }
            let channel = context.channel
            let queued = self.queued
            let logger = server.logger
            subscription = server.bus.subscribe { event in
                guard filter.matches(name: event.name, subclass: event.subclass) else { return }
                let text = format == .json ? ESLFraming.json(event) : ESLFraming.plain(event)
                guard queued.count.add(1, ordering: .relaxed).newValue <= EventSocketServer.maximumQueuedEvents else {
                    logger.warning("event socket: client \(channel.remoteAddress?.description ?? "?") is too slow (\(EventSocketServer.maximumQueuedEvents) events queued); disconnected")
                    channel.close(promise: nil)
                    return
                }
                channel.writeAndFlush(channel.allocator.buffer(string: text)).whenComplete { _ in
                    queued.count.subtract(1, ordering: .relaxed)
                }
            }
        case .unsubscribe:
            if let subscription { server.bus.unsubscribe(subscription) }
            subscription = nil
        case .close:
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                context.close(promise: nil)
            }
            return false
        }
        return true
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Events written to a client and not yet sent.
final class QueuedCount: Sendable {
    let count = Atomic<Int>(0)
}
