import NIOCore
import SIPMessage
import SIPTransaction
import Synchronization

/// The live transactions, sharded so that both cores can work on different calls at once.
final class TransactionTable: Sendable {
    enum Machine: Sendable {
        case clientInvite(ClientInviteTransaction)
        case clientNonInvite(ClientNonInviteTransaction)
        case serverInvite(ServerInviteTransaction)
        case serverNonInvite(ServerNonInviteTransaction)

        // Each event moves the machine out of the enum and back (`consume self`): matching it
        // with `var` would copy it, retaining every field of the request it holds, twice.

        mutating func start() -> [TransactionAction] {
            switch consume self {
            case .clientInvite(var machine): let actions = machine.start(); self = .clientInvite(machine); return actions
            case .clientNonInvite(var machine): let actions = machine.start(); self = .clientNonInvite(machine); return actions
            case .serverInvite(var machine): let actions = machine.start(); self = .serverInvite(machine); return actions
            case .serverNonInvite(var machine): let actions = machine.start(); self = .serverNonInvite(machine); return actions
            }
        }

        mutating func fire(_ timer: TransactionTimer) -> [TransactionAction] {
            switch consume self {
            case .clientInvite(var machine): let actions = machine.fire(timer); self = .clientInvite(machine); return actions
            case .clientNonInvite(var machine): let actions = machine.fire(timer); self = .clientNonInvite(machine); return actions
            case .serverInvite(var machine): let actions = machine.fire(timer); self = .serverInvite(machine); return actions
            case .serverNonInvite(var machine): let actions = machine.fire(timer); self = .serverNonInvite(machine); return actions
            }
        }

        mutating func transportFailed() -> [TransactionAction] {
            switch consume self {
            case .clientInvite(var machine): let actions = machine.transportFailed(); self = .clientInvite(machine); return actions
            case .clientNonInvite(var machine): let actions = machine.transportFailed(); self = .clientNonInvite(machine); return actions
            case .serverInvite(var machine): let actions = machine.transportFailed(); self = .serverInvite(machine); return actions
            case .serverNonInvite(var machine): let actions = machine.transportFailed(); self = .serverNonInvite(machine); return actions
            }
        }

        /// A response for a client transaction.
        mutating func receive(_ response: SIPResponse) -> [TransactionAction] {
            switch consume self {
            case .clientInvite(var machine): let actions = machine.receive(response); self = .clientInvite(machine); return actions
            case .clientNonInvite(var machine): let actions = machine.receive(response); self = .clientNonInvite(machine); return actions
            case let other: self = other; return []
            }
        }

        /// A retransmitted request for a server transaction.
        mutating func receive(_ request: SIPRequest) -> [TransactionAction] {
            switch consume self {
            case .serverInvite(var machine): let actions = machine.receive(request); self = .serverInvite(machine); return actions
            case .serverNonInvite(var machine): let actions = machine.receive(request); self = .serverNonInvite(machine); return actions
            case let other: self = other; return []
            }
        }

        /// The ACK of a server INVITE transaction's final response.
        mutating func acknowledge(_ ack: SIPRequest) -> [TransactionAction] {
            switch consume self {
            case .serverInvite(var machine): let actions = machine.receive(ack); self = .serverInvite(machine); return actions
            case let other: self = other; return []
            }
        }

        /// The TU's response in a server transaction. `accepted` gets the INVITE's dialog when
        /// this is its first 2xx, read while the machine still holds the whole request.
        mutating func send(_ response: SIPResponse, accepted: inout AcceptedKey?) -> [TransactionAction] {
            switch consume self {
            case .serverInvite(var machine):
                let firstSuccess = (200...299).contains(response.status) && machine.state == .proceeding
                let dialog = firstSuccess ? machine.request.map(AcceptedKey.init) : nil
                let actions = machine.send(response)
                // Once, when the 2xx is first sent: a repeated 2xx must not put back an entry its ACK took.
                if machine.state == .accepted { accepted = dialog }
                self = .serverInvite(machine)
                return actions
            case .serverNonInvite(var machine): let actions = machine.send(response); self = .serverNonInvite(machine); return actions
            case let other: self = other; return []
            }
        }

        var request: SIPRequest? {
            switch self {
            case .clientInvite(let machine): return machine.request
            case .clientNonInvite(let machine): return machine.request
            case .serverInvite(let machine): return machine.request
            case .serverNonInvite(let machine): return machine.request
            }
        }
    }

    struct Entry: Sendable {
        var machine: Machine
        let peer: SIPPeer
        let onEvent: (@Sendable (ClientTransactionEvent) -> Void)?
        /// The wheel id of each running timer; a timer whose id is no longer here was cancelled.
        var timers = RunningTimers()
    }

    /// The wheel id (0: not running) of each running timer, kept inline in the entry: a
    /// transaction runs at most three timers at once, so four places, each an id shifted left
    /// by a byte with the timer's kind in that byte, rather than one place per kind.
    struct RunningTimers: Sendable {
        private var places = InlineArray<4, UInt64>(repeating: 0)

        subscript(timer: TransactionTimer) -> UInt64 {
            get {
                for index in places.indices where places[index] != 0 && places[index] & 0xFF == UInt64(timer.rawValue) {
                    return places[index] >> 8
                }
                return 0
            }
            set {
                var free: Int?
                for index in places.indices {
                    if places[index] != 0 && places[index] & 0xFF == UInt64(timer.rawValue) {
                        places[index] = newValue == 0 ? 0 : newValue << 8 | UInt64(timer.rawValue)
                        return
                    }
                    if places[index] == 0 && free == nil { free = index }
                }
                guard newValue != 0 else { return }
                guard let free else { preconditionFailure("more than \(places.count) timers running in one transaction") }
                places[free] = newValue << 8 | UInt64(timer.rawValue)
            }
        }
    }

    /// What to do once the shard's lock is released.
    struct Effects: Sendable {
        /// The machine's actions as it returned them; the timer actions among them are already applied.
        var actions: [TransactionAction] = []
        var peer: SIPPeer?
        var request: SIPRequest?
        var onEvent: (@Sendable (ClientTransactionEvent) -> Void)?
        /// The wheel id of the first `.schedule` among the actions; the next ones follow in order.
        /// The timers are added to the wheel once the shard's lock is released.
        var firstTimerID: UInt64 = 0
        var terminated = false
        /// Terminated with its 2xx never acknowledged: its ACK-matching entry is still there.
        var unacknowledged2xx = false
    }

    private final class Shard: Sendable {
        let slab = Mutex(Slab<TransactionKey, Entry>())
    }

    private let shards: [Shard] = (0..<32).map { _ in Shard() }
    let wheel = TimerWheel()
    /// Server INVITE transactions that sent a 2xx, by dialog and CSeq, so the 2xx's ACK (which
    /// has a branch of its own) finds them; sharded by Call-ID like the transactions.
    private let accepted: [AcceptedShard] = (0..<32).map { _ in AcceptedShard() }

    private final class AcceptedShard: Sendable {
        let entries = Mutex<[AcceptedKey: TransactionKey]>([:])
    }

    /// What a 2xx's ACK shares with its INVITE: Call-ID, CSeq number and From tag.
    struct AcceptedKey: Hashable {
        let callID: String
        let cseq: UInt32
        let fromTag: String

        init(_ request: SIPRequest) {
            callID = request.callID ?? ""
            cseq = request.cseq?.number ?? 0
            fromTag = request.fromTag ?? ""
        }
    }

    private func withAccepted<Result: Sendable>(_ key: AcceptedKey, _ body: (inout sending [AcceptedKey: TransactionKey]) -> sending Result) -> sending Result {
        accepted[Int(FNV1a(key.callID).value % UInt32(accepted.count))].entries.withLock(body)
    }
    private let counter = Atomic<Int>(0)

    var count: Int { counter.load(ordering: .relaxed) }

    /// 2xx responses to INVITEs whose ACK has not come yet.
    var awaitingAckCount: Int { accepted.reduce(0) { count, shard in count + shard.entries.withLock { $0.count } } }

    private func shard(_ key: TransactionKey) -> Shard {
        shards[key.bucket(of: shards.count)]
    }

    func contains(_ key: TransactionKey) -> Bool {
        shard(key).slab.withLock { $0.contains(key) }
    }

    /// Starts a new transaction under `key` with `start`, or, when one already has that key,
    /// runs `existing` on it instead (a retransmitted request): one look-up for both.
    func start(_ key: TransactionKey, _ make: () -> Entry, _ start: (inout Machine) -> [TransactionAction],
               orUpdate existing: (inout Machine) -> [TransactionAction]) -> (effects: Effects?, started: Bool) {
        var started = false
        let effects: Effects? = shard(key).slab.withLock { slab in
            let position = slab.position(of: key) {
                started = true
                return make()
            }
            let effects = apply({ started ? start(&$0) : existing(&$0) }, to: &slab[position], firing: nil)
            if effects?.terminated == true { slab.remove(key) }
            return effects
        }
        if started { counter.add(1, ordering: .relaxed) }
        finish(effects, key: key)
        return (effects, started)
    }

    /// A wheel timer that came due, without its key: copying that would retain its strings.
    typealias FiringTimer = (timer: TransactionTimer, id: UInt64)

    /// Runs `body` on the transaction's machine under its shard's lock and applies the timer
    /// actions there; the rest comes back to be performed outside the lock. With `firing`, the
    /// body runs only if that timer is still the transaction's (not cancelled or replaced).
    func update(_ key: TransactionKey, firing: FiringTimer? = nil, _ body: (inout Machine) -> [TransactionAction]) -> Effects? {
        let effects: Effects? = shard(key).slab.withLock { slab in
            guard let index = slab.index(of: key) else { return nil }
            let effects = apply(body, to: &slab[at: index], firing: firing)
            if effects?.terminated == true { slab.remove(at: index) }
            return effects
        }
        finish(effects, key: key)
        return effects
    }

    /// Runs `body` on an entry, under its shard's lock.
    private func apply(_ body: (inout Machine) -> [TransactionAction], to entry: inout Entry, firing: FiringTimer?) -> Effects? {
        if let firing {
            guard entry.timers[firing.timer] == firing.id else { return nil }
            entry.timers[firing.timer] = 0
        }
        var effects = Effects(actions: body(&entry.machine), peer: entry.peer, onEvent: entry.onEvent)
        let scheduled = effects.actions.count { if case .schedule = $0 { true } else { false } }
        effects.firstTimerID = scheduled > 0 ? wheel.reserveIDs(scheduled) : 0
        var nextID = effects.firstTimerID
        var needsRequest = false
        for action in effects.actions {
            switch action {
            case .schedule(let timer, _):
                entry.timers[timer] = nextID
                nextID += 1
            case .cancel(let timer):
                if entry.timers[timer] != 0 { wheel.cancel(entry.timers[timer]) }
                entry.timers[timer] = 0
            case .terminated:
                effects.terminated = true
                needsRequest = true
            case .timedOut:
                needsRequest = true
            default:
                break
            }
        }
        if effects.terminated, case .serverInvite(let invite) = entry.machine { effects.unacknowledged2xx = invite.awaitsAck }
        // Copied only when a time-out or the end of an INVITE's dialog bookkeeping needs it.
        if needsRequest { effects.request = entry.machine.request }
        return effects
    }

    /// What follows an update once the shard's lock is released: its timers go on the wheel,
    /// and a terminated transaction's bookkeeping goes.
    private func finish(_ effects: Effects?, key: TransactionKey) {
        // Read through the optional, not unwrapped: `if let` copied the whole Effects.
        guard let firstTimerID = effects?.firstTimerID else { return }
        if firstTimerID != 0 {
            var id = firstTimerID
            for case .schedule(let timer, let after) in effects?.actions ?? [] {
                wheel.add(timer, for: key, after: after, id: id)
                id += 1
            }
        }
        guard effects?.terminated == true else { return }
        counter.subtract(1, ordering: .relaxed)
        // An acknowledged 2xx left `accepted` with its ACK.
        if effects?.unacknowledged2xx == true, let request = effects?.request {
            withAccepted(AcceptedKey(request)) { accepted in
                accepted[AcceptedKey(request)] = nil
                accepted.shrinkIfSparse()
            }
        }
    }

    func markAccepted(_ key: TransactionKey, dialog: AcceptedKey) {
        withAccepted(dialog) { $0[dialog] = key }
    }

    /// The transaction whose 2xx `ack` acknowledges, taken out of the map: a retransmitted
    /// ACK goes to the TU, as RFC 6026 has it, and the map holds only 2xx still unacknowledged.
    func takeAcceptedTransaction(for ack: SIPRequest) -> TransactionKey? {
        let dialog = AcceptedKey(ack)
        return withAccepted(dialog) { accepted in
            defer { accepted.shrinkIfSparse() }
            return accepted.removeValue(forKey: dialog)
        }
    }

    /// Removes the entry for `ack`'s dialog if it is `key`'s.
    func forgetAccepted(_ key: TransactionKey, acknowledgedBy ack: SIPRequest) {
        let dialog = AcceptedKey(ack)
        withAccepted(dialog) { accepted in
            if accepted[dialog] == key { accepted[dialog] = nil }
        }
    }
}
