import Configuration
import Dialplan
import Events
import Foundation
import Gateways
import IPAddressing
import Logging
import Metrics
import NIOCore
import SIPMessage
import SIPTransport
import Synchronization

/// The signalling-only back-to-back user agent of one profile: an INVITE that passes the
/// profile's ACL and limits runs through the dialplan, whose `bridge` actions call gateways;
/// requests inside calls are matched to them by Call-ID.
public final class B2BUA: SIPTransactionUser {
    public struct Settings: Sendable {
        public let profile: String
        public let context: String
        /// The profile's inbound ACL as loaded now (a reload changes it for new calls).
        public let acl: @Sendable () -> AccessControlList?
        public let limits: CallLimits
        /// The profile's `caller-id-type`.
        public let callerIDType: CallerIDType

        public init(profile: String, context: String, acl: @escaping @Sendable () -> AccessControlList?, limits: CallLimits = CallLimits(),
                    callerIDType: CallerIDType = .rpid) {
            self.profile = profile
            self.context = context
            self.acl = acl
            self.limits = limits
            self.callerIDType = callerIDType
        }

        /// A profile's settings as `serve` reads them: its context, its `apply-inbound-acl`
        /// looked up by `accessControlList` at each call (so that a reload applies),
        /// `max-sessions`, `sessions-per-second` and `caller-id-type`.
        public init(profile: SIPProfile, accessControlList: @escaping @Sendable (String) -> AccessControlList?) {
            let inboundACL = profile.inboundACL
            self.init(profile: profile.name, context: profile.context, acl: { inboundACL.flatMap(accessControlList) },
                      limits: CallLimits(maxSessions: profile.settings["max-sessions"].flatMap { Int($0) } ?? 100_000,
                                         sessionsPerSecond: profile.settings["sessions-per-second"].flatMap { Int($0) } ?? 30_000),
                      callerIDType: profile.callerIDType)
        }
    }

    let settings: Settings
    let stack: SIPStack
    let gateways: GatewayManager
    let calls: CallTable
    let logger: Logger
    let events: EventBus
    let group: any EventLoopGroup
    private let environment: @Sendable () -> DialplanEnvironment
    private let rate = Mutex<(second: Int, count: Int)>((0, 0))

    public init(settings: Settings, stack: SIPStack, gateways: GatewayManager, calls: CallTable, group: any EventLoopGroup,
                events: EventBus, logger: Logger, environment: @escaping @Sendable () -> DialplanEnvironment) {
        self.events = events
        self.settings = settings
        self.stack = stack
        self.gateways = gateways
        self.calls = calls
        self.group = group
        self.logger = logger
        self.environment = environment
    }

    public func receive(request: SIPRequest, from peer: SIPPeer, transaction: ServerTransaction) {
        let callID = request.callID ?? ""
        if request.method == "CANCEL" {
            transaction.respond(status: calls.call(forCallID: callID) == nil ? 481 : 200)
            calls.call(forCallID: callID)?.callerCancelled(stack.serverInvite(cancelledBy: request))
            return
        }
        if request.toTag != nil || request.method != "INVITE" {
            guard let call = calls.call(forCallID: callID) else {
                transaction.respond(status: 481, toTag: SIPIdentifiers.tag())
                return
            }
            call.inDialog(request, transaction: transaction)
            return
        }
        if let acl = settings.acl() {
            guard let address = peer.ipAddressBytes.map(IPAddress.init(bytes:)), acl.allows(address) else {
                logger.warning("IP \(peer.ipAddress ?? "?") rejected by ACL \(acl.name)")
                transaction.respond(status: 403, toTag: SIPIdentifiers.tag())
                return
            }
        }
        if let maxForwards = request.maxForwards, maxForwards <= 0 {
            transaction.respond(status: 483, toTag: SIPIdentifiers.tag())
            return
        }
        guard !calls.draining.load(ordering: .relaxed) else {
            transaction.respond(status: 503, reason: "Shutting Down", toTag: SIPIdentifiers.tag(), headers: [("Retry-After", "30")])
            return
        }
        guard admit() else {
            transaction.respond(status: 503, reason: "Maximum Calls In Progress", toTag: SIPIdentifiers.tag(), headers: [("Retry-After", "5")])
            return
        }
        transaction.respond(status: 100)
        let call = Call(b2bua: self, invite: request, peer: peer, transaction: transaction, environment: environment())
        calls.add(call)
        call.start()
    }

    public func receive(ack: SIPRequest, from peer: SIPPeer) {
        calls.call(forCallID: ack.callID ?? "")?.acknowledged(ack)
    }

    public func receive(strayResponse: SIPResponse, from peer: SIPPeer) {
        calls.call(forCallID: strayResponse.callID ?? "")?.strayResponse(strayResponse)
    }

    public func serverTransactionTimedOut(_ request: SIPRequest) {
        guard request.method == "INVITE" else { return }
        // By branch too: a refused INVITE (its own transaction, never seen here) may share its
        // Call-ID with a call taken later.
        guard let call = calls.call(forCallID: request.callID ?? ""), call.inviteBranch == request.topVia?.branch else { return }
        call.callerNeverAcknowledged()
    }

    private func admit() -> Bool {
        guard calls.count < settings.limits.maxSessions else { return false }
        let second = Int(Date().timeIntervalSince1970)
        return rate.withLock { rate in
            if rate.second != second { rate = (second, 0) }
            rate.count += 1
            return rate.count <= settings.limits.sessionsPerSecond
        }
    }
}

/// Every call in progress, by its own Call-ID and its outgoing legs' Call-IDs, and the counts
/// `status` reports. Sharded by key, so the two cores rarely wait for each other.
public final class CallTable: Sendable {
    public struct Statistics: Sendable {
        public var total = 0
        public var peak = 0
        public var peakPerSecond = 0
        var second = 0
        var thisSecond = 0
        public var lastSecond = 0
    }

    /// A Call-ID or UUID with its FNV-1a, computed once: it picks the shard, and the shard's
    /// dictionary hashes it alone, so that a deletion never rehashes its neighbours' strings.
    private struct Key: Hashable {
        let text: String
        let fingerprint: UInt32

        init(_ text: String) {
            self.text = text
            fingerprint = FNV1a(text).value
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.fingerprint == rhs.fingerprint && lhs.text == rhs.text
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(fingerprint)
        }
    }

    private final class Shard: Sendable {
        let calls = Mutex<[Key: Call]>([:])
    }

    private static let shardCount = 16
    private let byCallID = (0..<CallTable.shardCount).map { _ in Shard() }
    private let byUUID = (0..<CallTable.shardCount).map { _ in Shard() }
    private let active = Atomic<Int>(0)
    private let counters = Mutex(Statistics())
    private let activeGauge = Gauge(label: "distributor_active_calls")
    /// Serializes the gauge's updates, each with the count read under it, so that the last
    /// value recorded is never an older count.
    private let gaugeUpdate = Mutex(())
    /// Set while the service shuts down gracefully: new INVITEs get 503.
    public let draining = Atomic<Bool>(false)

    public init() {}

    public var statistics: Statistics {
        let second = Int(Date().timeIntervalSince1970)
        return counters.withLock { statistics in
            if statistics.second != second {
                statistics.lastSecond = statistics.second == second - 1 ? statistics.thisSecond : 0
                statistics.thisSecond = 0
                statistics.second = second
            }
            return statistics
        }
    }

    public var count: Int { active.load(ordering: .relaxed) }

    public var all: [Call] { byUUID.flatMap { $0.calls.withLock { Array($0.values) } }.sorted { $0.created < $1.created } }

    private func shard(_ table: [Shard], _ key: Key) -> Shard {
        table[Int(key.fingerprint % UInt32(Self.shardCount))]
    }

    func add(_ call: Call) {
        let key = Key(call.uuid)
        shard(byUUID, key).calls.withLock { $0[key] = call }
        let current = active.add(1, ordering: .relaxed).newValue
        recordActive()
        let second = Int(Date().timeIntervalSince1970)
        counters.withLock { statistics in
            statistics.total += 1
            statistics.peak = max(statistics.peak, current)
            if statistics.second != second {
                statistics.lastSecond = statistics.second == second - 1 ? statistics.thisSecond : 0
                statistics.thisSecond = 0
                statistics.second = second
            }
            statistics.thisSecond += 1
            statistics.peakPerSecond = max(statistics.peakPerSecond, statistics.thisSecond)
        }
        alias(call.callID, to: call)
    }

    private func recordActive() {
        gaugeUpdate.withLock { _ in activeGauge.record(active.load(ordering: .relaxed)) }
    }

    func alias(_ callID: String, to call: Call) {
        let key = Key(callID)
        shard(byCallID, key).calls.withLock { $0[key] = call }
    }

    func remove(_ call: Call, callIDs: [String]) {
        let uuid = Key(call.uuid)
        let removed = shard(byUUID, uuid).calls.withLock { table in
            defer { table.shrinkIfSparse() }
            return table.removeValue(forKey: uuid) != nil
        }
        if removed {
            active.subtract(1, ordering: .relaxed)
            recordActive()
        }
        func forget(_ callID: String) {
            let key = Key(callID)
            shard(byCallID, key).calls.withLock { table in
                if let index = table.index(forKey: key), table.values[index] === call {
                    table.remove(at: index)
                    table.shrinkIfSparse()
                }
            }
        }
        callIDs.forEach(forget)
        forget(call.callID)
    }

    func call(forCallID callID: String) -> Call? {
        let key = Key(callID)
        return shard(byCallID, key).calls.withLock { $0[key] }
    }

    public func call(uuid: String) -> Call? {
        let key = Key(uuid)
        return shard(byUUID, key).calls.withLock { $0[key] }
    }
}
