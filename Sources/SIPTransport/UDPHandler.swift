import NIOCore

/// Reads datagrams into the stack; one per UDP socket, used on its event loop only.
final class UDPHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let stack: SIPStack
    /// The queue of the socket NIO reads from, when new calls may be refused for overload.
    private let probe: ReceiveQueueProbe?
    private var batch = ReadBatchSample()

    init(stack: SIPStack, probe: ReceiveQueueProbe?) {
        self.stack = stack
        self.probe = probe
    }

    private static let invitePrefix = Array("INVITE ".utf8)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        // Parsed where NIO read it: the message keeps copies of what it needs.
        envelope.data.withUnsafeReadableBytes { bytes in
            // A lone CRLF keep-alive or empty datagram carries nothing to answer.
            guard bytes.contains(where: { $0 != 0x0D && $0 != 0x0A }) else { return }
            // Only an INVITE can be refused for overload, so only then is the queue read.
            let queue = bytes.starts(with: Self.invitePrefix) ? batchQueueLoad() : nil
            stack.receive(bytes, from: SIPPeer(transport: .udp, address: envelope.remoteAddress), framing: .datagram, queue: queue)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        batch.end()
        context.fireChannelReadComplete()
    }

    private func batchQueueLoad() -> ReceiveQueueLoad? {
        guard let probe else { return nil }
        return probe.load(of: batch.sample(taking: probe.sample))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors for earlier sends arrive here; the socket stays open.
        stack.logger.debug("UDP socket error: \(error)")
    }
}
