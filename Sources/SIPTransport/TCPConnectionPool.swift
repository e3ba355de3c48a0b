import Logging
import NIOCore
import NIOPosix
import SIPMessage
import Synchronization

/// TCP connections by peer address, accepted or opened by us, reused for every message to that
/// peer (RFC 3261 §18), closed after a quiet period.
final class TCPConnectionPool: Sendable {
    private let group: any EventLoopGroup
    private let idleTimeout: TimeAmount
    private let logger: Logger
    private let connections = Mutex<[SocketAddress: EventLoopFuture<any Channel>]>([:])
    private let open = Mutex<[SocketAddress: ObjectIdentifier]>([:])
    private let stackReference = Mutex<SIPStack?>(nil)

    var stack: SIPStack? {
        get { stackReference.withLock { $0 } }
        set { stackReference.withLock { $0 = newValue } }
    }

    init(group: any EventLoopGroup, idleTimeout: TimeAmount, logger: Logger) {
        self.group = group
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Sets up a connection's pipeline, accepted or outgoing.
    func configure(_ channel: any Channel) throws {
        guard let stack else { throw ChannelError.ioOnClosedChannel }
        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
        try channel.pipeline.syncOperations.addHandler(TCPHandler(stack: stack, pool: self))
    }

    func registered(_ channel: any Channel) {
        guard let address = channel.remoteAddress else { return }
        open.withLock { $0[address] = ObjectIdentifier(channel) }
        connections.withLock { $0[address] = channel.eventLoop.makeSucceededFuture(channel) }
    }

    func closed(_ channel: any Channel) {
        guard let address = channel.remoteAddress else { return }
        // Only forget it if it is this channel (a newer one may have replaced it).
        let current = open.withLock { open -> Bool in
            guard open[address] == ObjectIdentifier(channel) else { return false }
            open[address] = nil
            return true
        }
        if current { connections.withLock { $0[address] = nil } }
    }

    func send(_ bytes: [UInt8], to address: SocketAddress, onFailure: (@Sendable () -> Void)?) {
        let future = connections.withLock { connections -> EventLoopFuture<any Channel> in
            if let existing = connections[address] { return existing }
            let connecting = ClientBootstrap(group: group)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try self.configure(channel) }
                }
                .connect(to: address)
            connections[address] = connecting
            return connecting
        }
        future.whenComplete { [logger] result in
            switch result {
            case .success(let channel):
                let buffer = channel.allocator.buffer(bytes: bytes)
                channel.writeAndFlush(buffer).whenFailure { error in
                    logger.debug("TCP send to \(address) failed: \(error)")
                    onFailure?()
                }
            case .failure(let error):
                logger.info("TCP connection to \(address) failed: \(error)")
                self.connections.withLock { if $0[address] === future { $0[address] = nil } }
                onFailure?()
            }
        }
    }

    func closeAll() async {
        let all = connections.withLock { connections in
            defer { connections = [:] }
            return Array(connections.values)
        }
        for future in all {
            if let channel = try? await future.get() { try? await channel.close() }
        }
    }
}

/// Frames one TCP connection's byte stream into messages.
final class TCPHandler: ChannelInboundHandler, @unchecked Sendable {
    // Touched only on the channel's event loop.
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let stack: SIPStack
    private let pool: TCPConnectionPool
    private var framer = SIPStreamFramer()

    init(stack: SIPStack, pool: TCPConnectionPool) {
        self.stack = stack
        self.pool = pool
    }

    func channelActive(context: ChannelHandlerContext) {
        pool.registered(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        pool.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        framer.append(buffer.readableBytesView)
        guard let address = context.channel.remoteAddress else { return }
        let peer = SIPPeer(transport: .tcp, address: address)
        while let output = framer.next() {
            switch output {
            case .message(let bytes):
                bytes.withUnsafeBytes { stack.receive($0, from: peer, framing: .stream) }
            case .keepAlive:
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [0x0D, 0x0A])), promise: nil)
            case .failure(let reason):
                stack.logger.info("closing TCP connection from \(peer): \(reason)")
                context.close(promise: nil)
                return
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        stack.logger.debug("TCP connection error: \(error)")
        context.close(promise: nil)
    }
}

extension EventLoopFuture {
    static func === (lhs: EventLoopFuture, rhs: EventLoopFuture) -> Bool {
        ObjectIdentifier(lhs) == ObjectIdentifier(rhs)
    }
}
