import NIOCore

/// Reads datagrams into the stack; one per UDP socket.
final class UDPHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let stack: SIPStack

    init(stack: SIPStack) {
        self.stack = stack
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        // A lone CRLF keep-alive or empty datagram carries nothing to answer.
        guard bytes.contains(where: { $0 != 0x0D && $0 != 0x0A }) else { return }
        stack.receive(bytes, from: SIPPeer(transport: .udp, address: envelope.remoteAddress), framing: .datagram)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors for earlier sends arrive here; the socket stays open.
        stack.logger.debug("UDP socket error: \(error)")
    }
}
