#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import SIPMessage
import SIPTransaction
import Synchronization

/// The SIP transport and transaction layer: UDP (one socket per core, SO_REUSEPORT) and TCP
/// listeners, outgoing TCP connections reused per peer, and the transaction machines driven
/// with NIO timers. A TU plugs in with `start(user:)`.
public final class SIPStack: Sendable {
    public let configuration: SIPStackConfiguration
    let group: any EventLoopGroup
    let logger: Logger
    private let table = TransactionTable()
    private let user = Mutex<(any SIPTransactionUser)?>(nil)
    /// Set once at start, then read without a lock on every send.
    private let udpOutlets = SetOnceReference<UDPOutlets>()
    private let tcpServer = Mutex<(any Channel)?>(nil)
    let connections: TCPConnectionPool
    private let boundPort = Atomic<Int>(0)
    private let rateGuard: RequestRateGuard?
    private let overloadGuard: OverloadGuard?
    private let tcpAdmission: TCPAdmission
    private let traffic: SIPTrafficMetrics

    public init(configuration: SIPStackConfiguration, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        connections = TCPConnectionPool(group: group, idleTimeout: configuration.tcpIdleTimeout, logger: logger)
        traffic = SIPTrafficMetrics(profile: configuration.profile)
        overloadGuard = configuration.overload.map { OverloadGuard(policy: $0, profile: configuration.profile, logger: logger) }
        tcpAdmission = TCPAdmission(perAddress: configuration.tcpConnectionsPerAddress, profile: configuration.profile, logger: logger)
        rateGuard = configuration.rateLimit.map {
            RequestRateGuard(settings: $0, exempt: configuration.rateLimitExempt, profile: configuration.profile, logger: logger)
        }
    }

    /// Requests dropped by the per-source rate limit since start.
    public var rateLimitedCount: Int { rateGuard?.droppedCount ?? 0 }

    /// New INVITEs answered 503 since start because the service had fallen behind.
    public var overloadRefusedCount: Int { overloadGuard?.refusedCount ?? 0 }

    /// TCP connections refused since start because their address had too many open.
    public var tcpRefusedCount: Int { tcpAdmission.refusedCount }

    /// The port actually bound (useful when the configuration asks for port 0).
    public var port: Int { boundPort.load(ordering: .relaxed) }

    /// The host our Via and Contact headers carry.
    public var advertisedHost: String { configuration.advertisedHost ?? configuration.host }

    /// How many transactions are alive.
    public var transactionCount: Int { table.count }

    /// 2xx responses to INVITEs sent and not acknowledged yet.
    public var awaitingAckCount: Int { table.awaitingAckCount }

    static let datagramsPerRead = 16
    /// Room for thousands of datagrams, so that a burst waits in the queue instead of being dropped.
    static let receiveBuffer = 4 << 20

    public func start(user: any SIPTransactionUser) async throws {
        self.user.withLock { $0 = user }
        table.wheel.start(on: group.next()) { [weak self] timer in
            self?.fire(timer)
        }
        connections.stack = self
        var port = configuration.port
        if configuration.transports.contains(.udp) {
            let loops = Array(group.makeIterator())
            let (sockets, spread) = try UDPSocketGroup.bind(host: configuration.host, port: port, count: loops.count, receiveBuffer: Self.receiveBuffer)
            if !spread { logger.debug("UDP: each sender's datagrams go to the one of \(loops.count) sockets its address hashes to") }
            if let granted = sockets.first.map(UDPSocketGroup.receiveBufferSize), granted < Self.receiveBuffer {
                logger.warning("UDP: the kernel granted a receive buffer of \(granted >> 10) KiB, not the \(Self.receiveBuffer >> 10) KiB asked for: net.core.rmem_max caps it. A burst of requests past that is dropped rather than queued; raise it with sysctl -w net.core.rmem_max=\(Self.receiveBuffer)")
            }
            var channels: [any Channel] = []
            // The sending sides' own descriptors, so that NIO closing a channel's never leaves one dangling.
            let senders = sockets.map { dup($0) }
            // The first read of a queue turns the kernel's receive timestamps on (host-wide, a
            // moment later): done now, so that the first INVITEs are measured too.
            let probes = sockets.map { socket in overloadGuard.map { _ in ReceiveQueueProbe(socket: socket) } }
            probes.forEach { _ = $0?.read() }
            for (index, (loop, (socket, probe))) in zip(loops, zip(sockets, probes)).enumerated() {
                let bootstrap = DatagramBootstrap(group: loop)
                    // Up to 16 datagrams per recvmmsg, each with room for 64 KiB (NIO's default of
                    // 2 KiB would cut a large INVITE short): one system call for a burst of replies.
                    .channelOption(.datagramVectorReadMessageCount, value: Self.datagramsPerRead)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.datagramsPerRead * 65536))
                    // One read per wake-up: NIO would otherwise read again (up to this many
                    // times) until a read finds nothing, a system call wasted after most bursts.
                    // epoll (level-triggered) reports the socket again at once while datagrams
                    // are left in it. UDPHandler's batch of one queue sample relies on it.
                    .channelOption(.maxMessagesPerRead, value: 1)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(UDPHandler(stack: self, probe: probe))
                        }
                    }
                let channel: any Channel
                do {
                    guard !senders.contains(-1) else { throw IOError(errnoCode: errno, reason: "dup") }
                    channel = try await bootstrap.withBoundSocket(socket).get()
                } catch {
                    // Leave no socket bound behind: the ones not handed to NIO yet, the channels made and the copies.
                    for unused in sockets[(index + 1)...] { close(unused) }
                    for made in channels { try? await made.close() }
                    for sender in senders where sender >= 0 { close(sender) }
                    throw error
                }
                port = channel.localAddress?.port ?? port
                channels.append(channel)
            }
            _ = udpOutlets.storeIfNil(UDPOutlets(zip(channels, senders).map { UDPOutlet($0, socket: $1) }))
        }
        if configuration.transports.contains(.tcp) {
            let server = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    // Failing the initializer closes the connection.
                    guard self.tcpAdmission.admit(channel) else { return channel.eventLoop.makeFailedFuture(ChannelError.inputClosed) }
                    return channel.eventLoop.makeCompletedFuture { try self.connections.configure(channel) }
                }
                .bind(host: configuration.host, port: port).get()
            port = server.localAddress?.port ?? port
            tcpServer.withLock { $0 = server }
        }
        boundPort.store(port, ordering: .relaxed)
        logger.info("SIP listening on \(configuration.host):\(port) (\(configuration.transports.map(\.rawValue).sorted().joined(separator: ", ")))")
    }

    public func shutdown() async {
        table.wheel.stop()
        for outlet in udpOutlets.load()?.outlets ?? [] {
            try? await outlet.channel.close()
            outlet.close()
        }
        if let server = tcpServer.withLock({ $0 }) { try? await server.close() }
        await connections.closeAll()
        user.withLock { $0 = nil }
    }

    // MARK: - Sending

    /// A Via of ours for a new client transaction over `transport`, with a fresh branch.
    public func newVia(_ transport: SIPPeer.Transport) -> (value: String, branch: String) {
        let branch = SIPIdentifiers.branch()
        return (Self.via(transport: transport, host: advertisedHost, port: port, branch: branch), branch)
    }

    /// `SIP/2.0/UDP host:port;branch=...;rport`, built in one buffer (every request sent has one).
    public static func via(transport: SIPPeer.Transport, host: String, port: Int, branch: String) -> String {
        TextBuilder.text(capacity: 32 + host.utf8.count + branch.utf8.count) { value in
            value.append(transport == .tcp ? "SIP/2.0/TCP " : "SIP/2.0/UDP ")
            value.append(host)
            value.append(":")
            value.append(port)
            value.append(";branch=")
            value.append(branch)
            value.append(";rport")
        }
    }

    /// Our Contact for `user` over `transport`, built in one buffer: every call sends it
    /// in its outgoing INVITE and in the ringing and answer it relays back.
    public func contact(user: String, transport: SIPPeer.Transport) -> String {
        let host = advertisedHost
        let port = self.port
        return TextBuilder.text(capacity: 32 + user.utf8.count + host.utf8.count) { value in
            value.append("<sip:")
            value.append(user)
            value.append("@")
            value.append(host)
            value.append(":")
            value.append(port)
            value.append(transport == .tcp ? ";transport=tcp>" : ";transport=udp>")
        }
    }

    /// Starts a client transaction. A request without a Via gets ours, with a fresh branch.
    /// `branch` is the top Via's when the caller has just written it (with `newVia(_:)`): it
    /// saves parsing the Via back.
    public func send(_ request: SIPRequest, to peer: SIPPeer, branch knownBranch: String? = nil,
                     onEvent: @escaping @Sendable (ClientTransactionEvent) -> Void) {
        var request = request
        let branch: String
        if let knownBranch {
            branch = knownBranch
        } else if request.headers.contains("Via") {
            guard let top = request.topVia?.branch else {
                onEvent(.transportFailed)
                return
            }
            branch = top
        } else {
            let via = newVia(peer.transport)
            request.headers.prepend("Via", via.value)
            branch = via.branch
        }
        let method = request.method == "ACK" ? "INVITE" : request.method
        let key = TransactionKey.client(branch: branch, method: method)
        let reliable = peer.transport.isReliable
        let machine: TransactionTable.Machine = request.method == "INVITE"
            ? .clientInvite(ClientInviteTransaction(request: request, timers: configuration.timers, reliable: reliable))
            : .clientNonInvite(ClientNonInviteTransaction(request: request, timers: configuration.timers, reliable: reliable))
        let (effects, started) = table.start(key, { TransactionTable.Entry(machine: machine, peer: peer, onEvent: onEvent) }, { $0.start() },
                                             orUpdate: { _ in [] })
        guard started, let effects else {
            logger.warning("a client transaction with branch \(branch) already exists; request not sent")
            onEvent(.transportFailed)
            return
        }
        perform(effects, key: key)
    }

    /// Sends outside any transaction: the ACK of a 2xx, or a response with no transaction.
    public func sendStateless(_ message: SIPMessage, to peer: SIPPeer) {
        traffic.count(message, .sent)
        transmit(message, to: peer, onFailure: nil)
    }

    func respond(_ response: SIPResponse, in key: TransactionKey) {
        run(key) { machine in
            var accepted: TransactionTable.AcceptedKey?
            let actions = machine.send(response, accepted: &accepted)
            if let accepted { table.markAccepted(key, dialog: accepted) }
            return actions
        }
    }

    func transmit(_ message: SIPMessage, to peer: SIPPeer, onFailure: (@Sendable () -> Void)?) {
        switch peer.transport {
        case .udp:
            guard let outlet = udpOutlet(for: peer) else {
                onFailure?()
                return
            }
            var reportFailure: (@Sendable (any Error) -> Void)?
            if let onFailure {
                reportFailure = { [logger] error in
                    logger.debug("UDP send to \(peer) failed: \(error)")
                    onFailure()
                }
            }
            outlet.send(message, to: peer, onFailure: reportFailure)
        case .tcp:
            connections.send(message.serialized(), to: peer.address, onFailure: onFailure)
        }
    }

    /// Every UDP socket is bound to the same address, so any can send: the one on the
    /// calling thread's event loop takes the write without a hop to another thread.
    private func udpOutlet(for peer: SIPPeer) -> UDPOutlet? {
        guard let outlets = udpOutlets.load()?.outlets, !outlets.isEmpty else { return nil }
        return outlets.first { $0.eventLoop.inEventLoop } ?? outlets[abs(peer.hashValue % outlets.count)]
    }

    // MARK: - Driving machines

    private func run(_ key: TransactionKey, retransmitting: Bool = false, _ body: (inout TransactionTable.Machine) -> [TransactionAction]) {
        guard let effects = table.update(key, body) else { return }
        perform(effects, key: key, retransmitting: retransmitting)
    }

    private func fire(_ timer: TimerWheel.Timer) {
        // The closure captures the kind alone: capturing the timer would copy its key.
        let kind = timer.timer
        guard let effects = table.update(timer.key, firing: (kind, timer.id), { $0.fire(kind) }) else { return }
        perform(effects, key: timer.key, retransmitting: timer.timer != .trying)
    }

    /// `retransmitting`: what the actions send was sent before (a timer fired, or the peer
    /// retransmitted its request).
    private func perform(_ effects: TransactionTable.Effects, key: TransactionKey, retransmitting: Bool = false) {
        guard let peer = effects.peer else { return }
        for action in effects.actions {
            switch action {
            case .send(let message):
                traffic.count(message, .sent)
                if retransmitting { traffic.countRetransmission(.sent) }
                // A response's failed datagram is left to the transaction's timers, as a lost one would be:
                // reporting it would cost a promise and two closures on every response sent.
                var onFailure: (@Sendable () -> Void)?
                if effects.onEvent != nil || peer.transport.isReliable {
                    onFailure = { [weak self] in self?.run(key) { $0.transportFailed() } }
                }
                transmit(message, to: peer, onFailure: onFailure)
            case .deliver(.response(let response)):
                effects.onEvent?(.response(response))
            case .deliver(.request(let request)):
                guard let user = user.withLock({ $0 }) else { continue }
                if request.method == "ACK" {
                    user.receive(ack: request, from: peer)
                } else {
                    user.receive(request: request, from: peer, transaction: ServerTransaction(key: key, stack: self, request: request))
                }
            case .timedOut:
                if let onEvent = effects.onEvent {
                    onEvent(.timedOut)
                } else if let request = effects.request {
                    user.withLock { $0 }?.serverTransactionTimedOut(request)
                }
            case .transportFailed:
                effects.onEvent?(.transportFailed)
            case .schedule, .cancel, .terminated:
                break
            }
        }
    }

    // MARK: - Receiving

    private static let responsePrefix = Array("SIP/".utf8)

    /// `queue`: the receiving socket's load, read for a datagram that starts like an INVITE.
    func receive(_ bytes: UnsafeRawBufferPointer, from peer: SIPPeer, framing: SIPParser.Framing, queue: ReceiveQueueLoad? = nil) {
        if let rateGuard, !bytes.starts(with: Self.responsePrefix), !rateGuard.admit(from: peer) { return }
        switch SIPParser.parse(bytes, framing: framing) {
        case .invalid(let error, let partial):
            logger.debug("unreadable message from \(peer): \(error.reason)")
            guard let partial, partial.method != "ACK", partial.isAnswerable else { return }
            var response = partial.response(status: error.status, reason: error.reason)
            response.headers.add("Warning", "399 \(advertisedHost) \"\(error.reason.replacingQuotes())\"")
            traffic.count(response, .sent)
            transmit(.response(response), to: ResponseRouting.destination(for: partial, from: peer), onFailure: nil)
        case .message(.request(var request)):
            traffic.count(request, .received)
            ResponseRouting.stampReceived(&request, from: peer)
            receive(request, from: peer, queue: queue)
        case .message(.response(let response)):
            traffic.count(response, .received)
            guard let key = TransactionKey.client(for: response), let effects = table.update(key, { $0.receive(response) }) else {
                user.withLock { $0 }?.receive(strayResponse: response, from: peer)
                return
            }
            perform(effects, key: key)
        }
    }

    private func receive(_ request: SIPRequest, from peer: SIPPeer, queue: ReceiveQueueLoad?) {
        guard let key = TransactionKey.server(for: request) else { return }
        let replyTo = ResponseRouting.destination(for: request, from: peer)
        if request.method == "ACK" {
            func acknowledge(_ machine: inout TransactionTable.Machine) -> [TransactionAction] { machine.acknowledge(request) }
            if let effects = table.update(key, acknowledge) {
                // A 2xx's ACK that reused the INVITE's branch (or an RFC 2543 peer's) found the
                // transaction by its key: the entry it would have been matched by goes too.
                table.forgetAccepted(key, acknowledgedBy: request)
                perform(effects, key: key)
            } else if let accepted = table.takeAcceptedTransaction(for: request), let effects = table.update(accepted, acknowledge) {
                perform(effects, key: accepted)
            } else {
                user.withLock { $0 }?.receive(ack: request, from: peer)
            }
            return
        }
        let reliable = peer.transport.isReliable
        let timers = configuration.timers
        func make() -> TransactionTable.Entry {
            let machine: TransactionTable.Machine = request.method == "INVITE"
                ? .serverInvite(ServerInviteTransaction(request: request, timers: timers, reliable: reliable))
                : .serverNonInvite(ServerNonInviteTransaction(request: request, timers: timers, reliable: reliable))
            return TransactionTable.Entry(machine: machine, peer: replyTo, onEvent: nil)
        }
        // A new call read while the service has fallen behind is answered 503 by a transaction
        // of its own that the TU never sees. Repeats of an INVITE already taken (or already
        // refused) still reach their transaction: a call taken goes on, and a refused one is not
        // taken later as a new call when a repeat is read after the queue has drained.
        var refusing = false
        if let queue, let overloadGuard, request.method == "INVITE", request.toTag == nil {
            refusing = overloadGuard.policy.isOverloaded(queue)
        }
        let (effects, started) = table.start(key, make, refusing ? { Self.refuse(request, in: &$0) } : { $0.start() }) { $0.receive(request) }
        guard let effects else { return }
        if !started { traffic.countRetransmission(.received) }
        if refusing, started, let queue { overloadGuard?.recordRefusal(at: queue) }
        perform(effects, key: key, retransmitting: !started)
    }

    /// A new server INVITE transaction's first actions when it is refused for overload: its
    /// request is not delivered, and it answers 503 at once (so no 100 Trying is timed either).
    private static func refuse(_ request: SIPRequest, in machine: inout TransactionTable.Machine) -> [TransactionAction] {
        let begun = machine.start().filter { action in
            switch action {
            case .deliver, .schedule(.trying, _): false
            default: true
            }
        }
        var accepted: TransactionTable.AcceptedKey?
        return begun + machine.send(request.response(status: 503, reason: "Server Overloaded", toTag: SIPIdentifiers.tag()), accepted: &accepted)
    }

    /// The INVITE server transaction a CANCEL refers to (same branch, method INVITE), so the TU
    /// can answer it 487.
    public func serverInvite(cancelledBy cancel: SIPRequest) -> ServerTransaction? {
        guard let key = TransactionKey.server(for: cancel)?.withMethod("INVITE"), table.contains(key) else { return nil }
        var invite = cancel
        invite.method = "INVITE"
        if var cseq = cancel.cseq {
            cseq.method = "INVITE"
            invite.headers.set("CSeq", cseq.description)
        }
        return ServerTransaction(key: key, stack: self, request: invite)
    }
}

extension String {
    func replacingQuotes() -> String {
        String(map { $0 == "\"" ? "'" : $0 })
    }
}

final class UDPOutlets: Sendable {
    let outlets: [UDPOutlet]

    init(_ outlets: [UDPOutlet]) {
        self.outlets = outlets
    }
}
