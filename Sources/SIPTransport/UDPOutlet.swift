import NIOCore
import Synchronization

/// One UDP socket's sending side. A datagram sent from the socket's own event loop is queued
/// and the queue flushed once that loop has finished what it is doing, so the replies to a
/// batch of reads leave in one `sendmmsg` instead of one `sendmsg` each; from another thread
/// it goes at once.
final class UDPOutlet: Sendable {
    let channel: any Channel
    /// The channel's, kept to tell without a call through the channel whether the caller runs on it.
    let eventLoop: any EventLoop
    /// Only touched on the channel's event loop; atomic so the outlet can be shared.
    private let flushScheduled = Atomic<Bool>(false)

    init(_ channel: any Channel) {
        self.channel = channel
        eventLoop = channel.eventLoop
    }

    /// Without `onFailure`, a failed send goes unreported and costs no promise.
    func send(_ bytes: [UInt8], to address: SocketAddress, onFailure: (@Sendable (any Error) -> Void)?) {
        let envelope = AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: bytes))
        let promise = onFailure.map { onFailure in
            let promise = eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenFailure(onFailure)
            return promise
        }
        guard eventLoop.inEventLoop else {
            channel.writeAndFlush(envelope, promise: promise)
            return
        }
        channel.write(envelope, promise: promise)
        guard !flushScheduled.load(ordering: .relaxed) else { return }
        flushScheduled.store(true, ordering: .relaxed)
        eventLoop.execute {
            self.flushScheduled.store(false, ordering: .relaxed)
            self.channel.flush()
        }
    }
}
