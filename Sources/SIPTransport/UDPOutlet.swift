#if canImport(Glibc)
import Glibc
#endif
import CDatagramBatch
import NIOCore
import SIPMessage
import Synchronization

/// One UDP socket's sending side, on its own copy of the socket NIO reads from. A datagram
/// sent from the socket's event loop is queued, and the queue leaves in `sendmmsg` calls once
/// that loop has finished what it is doing, so the replies to a batch of reads cost one system
/// call and no NIO write (no buffer, envelope, promise or pipeline pass per datagram); from
/// another thread it goes at once. A datagram the kernel will not take (its buffer is full,
/// the route is gone) is reported to `onFailure` when there is one, and otherwise left to the
/// transaction's retransmissions, as a datagram lost on the way would be.
final class UDPOutlet: Sendable {
    let channel: any Channel
    let eventLoop: any EventLoop
    private let socket: CInt
    private let closed = Atomic<Bool>(false)
    /// Only touched on `eventLoop`.
    private let queue: LoopQueue

    /// `socket` is a descriptor of its own (a `dup` of the channel's), closed by `close()`.
    init(_ channel: any Channel, socket: CInt) {
        self.channel = channel
        eventLoop = channel.eventLoop
        self.socket = socket
        queue = LoopQueue()
    }

    func send(_ message: SIPMessage, to peer: SIPPeer, onFailure: (@Sendable (any Error) -> Void)?) {
        guard !closed.load(ordering: .relaxed) else {
            onFailure?(ChannelError.ioOnClosedChannel)
            return
        }
        guard eventLoop.inEventLoop else {
            let sent = peer.withSockAddr { pointer, length in
                message.serialized().withUnsafeBytes { sendto(socket, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL), pointer, socklen_t(length)) }
            }
            if sent < 0 { onFailure?(IOError(errnoCode: errno, reason: "sendto")) }
            return
        }
        if !queue.append(message, to: peer, onFailure: onFailure) {
            flush()
            guard queue.append(message, to: peer, onFailure: onFailure) else {
                onFailure?(IOError(errnoCode: EMSGSIZE, reason: "a message larger than the send arena"))
                return
            }
        }
        guard !queue.flushScheduled else { return }
        queue.flushScheduled = true
        eventLoop.execute {
            self.queue.flushScheduled = false
            self.flush()
        }
    }

    /// Stops sending and closes this outlet's copy of the socket.
    func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        _ = Glibc.close(socket)
    }

    private func flush() {
        while queue.count > 0 {
            let sent = queue.withBatch { starts, lengths, addresses, addressLengths, count in
                send_datagrams(socket, starts, lengths, addresses, addressLengths, CUnsignedInt(count))
            }
            if sent <= 0 {
                // The first datagram failed; the ones after it may still go.
                let error = IOError(errnoCode: sent < 0 ? errno : EAGAIN, reason: "sendmmsg")
                queue.dropFirst(1) { $0?(error) }
            } else {
                queue.dropFirst(Int(sent)) { _ in }
            }
        }
        queue.reset()
    }
}

/// Datagrams waiting for the end of the loop's turn, written into one arena with their
/// addresses, laid out as `send_datagrams` takes them. Reused from turn to turn: queuing a
/// datagram allocates nothing.
private final class LoopQueue: @unchecked Sendable {
    static let capacity = Int(DATAGRAM_BATCH_MAX)
    static let arenaSize = 1 << 20

    var flushScheduled = false
    private(set) var count = 0
    private var first = 0
    private var used = 0
    private let arena = UnsafeMutableRawPointer.allocate(byteCount: LoopQueue.arenaSize, alignment: 16)
    private let starts = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: LoopQueue.capacity)
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: LoopQueue.capacity)
    private let addresses = UnsafeMutablePointer<sockaddr_storage>.allocate(capacity: LoopQueue.capacity)
    private let addressLengths = UnsafeMutablePointer<socklen_t>.allocate(capacity: LoopQueue.capacity)
    private var failures = [(@Sendable (any Error) -> Void)?](repeating: nil, count: LoopQueue.capacity)

    deinit {
        arena.deallocate()
        starts.deallocate()
        lengths.deallocate()
        addresses.deallocate()
        addressLengths.deallocate()
    }

    /// Writes `message` into the arena, where `sendmmsg` will take it: no array of its own,
    /// allocated, copied and freed per datagram. False when the queue is full: flush it and
    /// try again.
    func append(_ message: SIPMessage, to peer: SIPPeer, onFailure: (@Sendable (any Error) -> Void)?) -> Bool {
        let slot = first + count
        let room = message.wireCapacity
        guard slot < Self.capacity, room <= Self.arenaSize - used else { return false }
        let start = arena + used
        let length = message.write(into: UnsafeMutableRawBufferPointer(start: start, count: room))
        used += length
        starts[slot] = start
        lengths[slot] = length
        addressLengths[slot] = peer.withSockAddr { pointer, length in
            UnsafeMutableRawPointer(addresses + slot).copyMemory(from: pointer, byteCount: length)
            return socklen_t(length)
        }
        failures[slot] = onFailure
        count += 1
        return true
    }

    func withBatch<Result>(_ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>,
                                    UnsafeMutablePointer<sockaddr_storage>, UnsafeMutablePointer<socklen_t>, Int) -> Result) -> Result {
        body(starts + first, lengths + first, addresses + first, addressLengths + first, count)
    }

    /// Forgets the first `sent` datagrams, handing each its failure report to `report`.
    func dropFirst(_ sent: Int, _ report: ((@Sendable (any Error) -> Void)?) -> Void) {
        for slot in first..<(first + sent) {
            report(failures[slot])
            failures[slot] = nil
        }
        first += sent
        count -= sent
    }

    func reset() {
        first = 0
        count = 0
        used = 0
    }
}
