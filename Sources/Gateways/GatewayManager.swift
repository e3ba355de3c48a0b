import Configuration
import Logging
import NIOCore
import SIPMessage
import SIPTransport
import Synchronization
import XMLConfig

/// Every gateway of every profile, alive: pinging, registering, and answering what the sofia
/// commands and the bridge ask. The machines are value types; this class gives them time (a
/// one-second tick, as FreeSWITCH's gateway loop) and the network (each profile's SIP stack).
public final class GatewayManager: Sendable {
    public struct Profile: Sendable {
        public let name: String
        public let stack: SIPStack

        public init(name: String, stack: SIPStack) {
            self.name = name
            self.stack = stack
        }
    }

    struct Record: Sendable {
        var settings: GatewaySettings
        /// Where OPTIONS and REGISTER go.
        var signalling: SIPPeer?
        /// Where INVITEs go.
        var proxy: SIPPeer?
        var pinger: GatewayPinger?
        var registration: GatewayRegistration?
        var status: GatewayStatus
        let counters = GatewayCounterCell()
        var statusSince: Duration
        let generation: Int
        let callID = SIPIdentifiers.callID()
        let registrationTag = SIPIdentifiers.tag()
        var pingCSeq: UInt32 = 0

        var state: RegistrationState { registration?.state ?? .noRegistration }
    }

    struct State: Sendable {
        var order: [String] = [] { didSet { namesByStatus = [:] } }
        var records: [String: Record] = [:] { didSet { namesByStatus = [:] } }
        var generation = 0
        /// `names(profile:up:)` answers, kept until the next change to any gateway (at most a
        /// second, as the loop touches every record each tick).
        var namesByStatus: [NamesKey: [String]] = [:]
    }

    struct NamesKey: Hashable, Sendable {
        let profile: String
        let up: Bool
    }

    private let profiles: [String: Profile]
    private let logger: Logger
    let state = Mutex(State())
    private let listeners = Mutex<[@Sendable (GatewayEvent) -> Void]>([])
    private let started = ContinuousClock.now
    private let ticker = Mutex<RepeatedTask?>(nil)

    public init(profiles: [Profile], logger: Logger) {
        self.profiles = Dictionary(uniqueKeysWithValues: profiles.map { ($0.name, $0) })
        self.logger = logger
    }

    var now: Duration { ContinuousClock.now - started }

    /// Builds the gateways of `configuration`'s profiles and starts the one-second loop.
    /// Returns the diagnostics of gateways that were skipped or adjusted.
    @discardableResult
    public func start(_ configuration: Configuration, on loop: any EventLoop) -> [Diagnostic] {
        let diagnostics = add(configuration, onlyNew: false)
        ticker.withLock { task in
            task?.cancel()
            task = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [weak self] _ in self?.tick() }
        }
        return diagnostics
    }

    public func stop() {
        ticker.withLock { $0?.cancel() }
    }

    /// Called with every gateway state change (the event socket publishes them).
    public func onEvent(_ listener: @escaping @Sendable (GatewayEvent) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    // MARK: - Queries

    public func status(of name: String) -> GatewayStatus? {
        reading(name) { $0.status }
    }

    /// `read` of the named gateway's record, in place under the lock: a copy of the record
    /// would retain and release every string of its settings.
    private func reading<Value: Sendable>(_ name: String, _ read: (Record) -> Value) -> Value? {
        state.withLock { state in
            guard let index = state.records.index(forKey: name) else { return nil }
            return read(state.records.values[index])
        }
    }

    /// Every gateway that is not UP, in order.
    public func downNames() -> [String] {
        state.withLock { state in state.order.filter { state.records[$0]?.status != .up } }
    }

    public func names(profile: String) -> [String] {
        state.withLock { state in state.order.filter { state.records[$0]?.settings.profile == profile } }
    }

    /// The profile's gateways that are UP (or not), in order, in one pass under one lock: the
    /// seed dialplan asks this on every call (`${sofia(profile external gwlist down)}`).
    public func names(profile: String, up: Bool) -> [String] {
        state.withLock { state in
            let key = NamesKey(profile: profile, up: up)
            if let cached = state.namesByStatus[key] { return cached }
            let names = state.order.filter { name in
                guard let record = state.records[name], record.settings.profile == profile else { return false }
                return (record.status == .up) == up
            }
            state.namesByStatus[key] = names
            return names
        }
    }

    public var profileNames: [String] { profiles.keys.sorted() }

    public func hasProfile(_ name: String) -> Bool { profiles[name] != nil }

    public func settings(of name: String) -> GatewaySettings? {
        reading(name) { $0.settings }
    }

    /// Where a call through this gateway is sent.
    public func proxyPeer(of name: String) -> SIPPeer? {
        reading(name) { $0.proxy }.flatMap { $0 }
    }

    public func count(_ name: String, _ update: (inout GatewayCounters) -> Void) {
        reading(name) { $0.counters }?.update(update)
    }

    func snapshot(_ name: String) -> Record? {
        state.withLock { $0.records[name] }
    }

    var uptime: Duration { now }

    // MARK: - Changes

    /// `sofia profile <p> rescan`: adds gateways new on disk, removes those gone, and resolves
    /// the others' addresses again without touching their state.
    @discardableResult
    public func rescan(profile: String, from configuration: Configuration) -> [Diagnostic] {
        let wanted = Set(configuration.profile(named: profile)?.gateways.map(\.name) ?? [])
        let kept: [(String, GatewaySettings)] = state.withLock { state in
            for name in state.order where state.records[name]?.settings.profile == profile && !wanted.contains(name) {
                state.records[name] = nil
            }
            let records = state.records
            state.order.removeAll { records[$0] == nil }
            return state.order.compactMap { name in state.records[name].map { (name, $0.settings) } }
        }
        for (name, settings) in kept where settings.profile == profile {
            let transport: SIPPeer.Transport = settings.registerTransport == "tcp" ? .tcp : .udp
            let signalling = GatewayAddressResolver.resolve(settings.signallingTarget, transport: transport)
            let proxy = GatewayAddressResolver.resolve(settings.proxy, transport: transport)
            state.withLock { state in
                guard var record = state.records[name] else { return }
                record.signalling = signalling ?? record.signalling
                record.proxy = proxy ?? record.proxy
                state.records[name] = record
            }
        }
        return add(configuration, onlyNew: true, profile: profile)
    }

    /// `sofia profile <p> killgw <name>`.
    public func kill(_ name: String, profile: String) -> Bool {
        state.withLock { state in
            guard state.records[name]?.settings.profile == profile else { return false }
            state.records[name] = nil
            state.order.removeAll { $0 == name }
            return true
        }
    }

    /// `sofia profile <p> restart`: every gateway of the profile starts afresh from the configuration.
    public func restart(profile: String, from configuration: Configuration) -> [Diagnostic] {
        state.withLock { state in
            for name in state.order where state.records[name]?.settings.profile == profile { state.records[name] = nil }
            let records = state.records
            state.order.removeAll { records[$0] == nil }
        }
        return add(configuration, onlyNew: true, profile: profile)
    }

    private func add(_ configuration: Configuration, onlyNew: Bool, profile only: String? = nil) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let now = self.now
        var fresh: [(String, Record)] = []
        for profile in configuration.profiles where only == nil || profile.name == only {
            guard profiles[profile.name] != nil else { continue }
            for definition in profile.gateways {
                guard let settings = GatewaySettings.make(definition, profile: profile, into: &diagnostics) else { continue }
                let transport: SIPPeer.Transport = settings.registerTransport == "tcp" ? .tcp : .udp
                let signalling = GatewayAddressResolver.resolve(settings.signallingTarget, transport: transport)
                let proxy = GatewayAddressResolver.resolve(settings.proxy, transport: transport)
                if signalling == nil || proxy == nil {
                    diagnostics.append(Diagnostic(.warning, at: settings.location, element: "<gateway name=\"\(settings.name)\">",
                                                  "cannot resolve \(settings.signallingTarget); the gateway is DOWN until a rescan resolves it"))
                }
                fresh.append((settings.name, makeRecord(settings, signalling: signalling, proxy: proxy, now: now)))
            }
        }
        state.withLock { state in
            for (name, var record) in fresh {
                if state.records[name] != nil {
                    if !onlyNew { logger.warning("gateway \(name) is defined twice; the first one is kept") }
                    continue
                }
                state.generation += 1
                record = Record(settings: record.settings, signalling: record.signalling, proxy: record.proxy, pinger: record.pinger,
                                registration: record.registration, status: record.status, statusSince: now, generation: state.generation)
                state.records[name] = record
                state.order.append(name)
            }
        }
        for diagnostic in diagnostics { logger.warning("\(diagnostic)") }
        return diagnostics
    }

    private func makeRecord(_ settings: GatewaySettings, signalling: SIPPeer?, proxy: SIPPeer?, now: Duration) -> Record {
        let resolved = signalling != nil && proxy != nil
        var status: GatewayStatus = settings.registers || !resolved ? .down : .up
        var registration: GatewayRegistration?
        if settings.registers {
            registration = GatewayRegistration(name: settings.name, username: settings.authUsername, password: settings.password,
                                               registrarURI: "sip:\(settings.realm)", expires: settings.expireSeconds,
                                               retrySeconds: settings.retrySeconds, now: now)
            status = .down
        }
        let pinger = settings.ping > 0
            ? GatewayPinger(name: settings.name, interval: .seconds(settings.ping), minimum: settings.pingMin,
                            maximum: settings.pingMax, status: status, now: now)
            : nil
        GatewayMetrics.state(settings.name, profile: settings.profile, status)
        return Record(settings: settings, signalling: signalling, proxy: proxy, pinger: pinger, registration: registration,
                      status: status, statusSince: now, generation: 0)
    }

    // MARK: - The loop

    func tick() {
        let now = self.now
        var sends: [(String, Int, GatewayRequest)] = []
        state.withLock { state in
            for name in state.order {
                guard var record = state.records[name], record.signalling != nil else { continue }
                if var registration = record.registration {
                    for action in registration.tick(now: now) {
                        if case .sendRegister(let cseq, let authorization) = action {
                            sends.append((name, record.generation, .register(cseq: cseq, authorization: authorization)))
                        }
                    }
                    record.registration = registration
                }
                if var pinger = record.pinger {
                    let mayPing = record.registration?.allowsPing ?? true
                    for action in pinger.tick(now: now, mayPing: mayPing) where action == .sendPing {
                        record.pingCSeq += 1
                        sends.append((name, record.generation, .options(cseq: record.pingCSeq)))
                    }
                    record.pinger = pinger
                }
                state.records[name] = record
            }
        }
        for (name, generation, request) in sends { send(request, gateway: name, generation: generation) }
    }

    enum GatewayRequest: Sendable {
        case options(cseq: UInt32)
        case register(cseq: UInt32, authorization: GatewayRegistration.AuthorizationHeader?)
    }

    private func send(_ kind: GatewayRequest, gateway name: String, generation: Int) {
        guard let record = snapshot(name), let peer = record.signalling, let profile = profiles[record.settings.profile] else { return }
        let request: SIPRequest
        switch kind {
        case .options(let cseq):
            request = GatewayRequests.options(record.settings, peer: peer, cseq: cseq)
        case .register(let cseq, let authorization):
            request = GatewayRequests.register(record.settings, stack: profile.stack, peer: peer, callID: record.callID,
                                               tag: record.registrationTag, cseq: cseq, authorization: authorization)
        }
        profile.stack.send(request, to: peer) { [weak self] event in
            let (code, phrase, response): (Int, String, SIPResponse?) = switch event {
            case .response(let response): (response.status, response.reason, response)
            case .timedOut: (408, "Request Timeout", nil)
            case .transportFailed: (503, "Service Unavailable", nil)
            }
            guard code >= 200 else { return }
            switch kind {
            case .options: self?.pingAnswered(name, generation: generation, code: code, phrase: phrase)
            case .register: self?.registerAnswered(name, generation: generation, code: code, phrase: phrase, response: response)
            }
        }
    }

    private func pingAnswered(_ name: String, generation: Int, code: Int, phrase: String) {
        let now = self.now
        let failed = !((200...599).contains(code) && code != 408 && code != 503)
        let (actions, roundTrip): ([GatewayPinger.Action], Duration?) = state.withLock { state in
            guard var record = state.records[name], record.generation == generation, var pinger = record.pinger else { return ([], nil) }
            let actions = pinger.answered(code: code, phrase: phrase, now: now)
            if failed { record.registration?.pingFailed(now: now) }
            if pinger.status != record.status {
                record.status = pinger.status
                record.statusSince = now
            }
            record.pinger = pinger
            state.records[name] = record
            return (actions, pinger.lastRoundTrip)
        }
        GatewayMetrics.pingAnswered(name, roundTrip: roundTrip, failed: failed)
        perform(actions.map(Self.common), gateway: name)
    }

    private func registerAnswered(_ name: String, generation: Int, code: Int, phrase: String, response: SIPResponse?) {
        let now = self.now
        let challenge = response.flatMap { response -> (header: String, value: String)? in
            if let value = response.headers["WWW-Authenticate"] { return ("WWW-Authenticate", value) }
            if let value = response.headers["Proxy-Authenticate"] { return ("Proxy-Authenticate", value) }
            return nil
        }
        let expires = response.flatMap { response -> Int? in
            let contact = response.headers["Contact"].flatMap { try? NameAddress($0) }
            return contact?.parameters.value("expires").flatMap { Int($0) } ?? response.headers["Expires"].flatMap { Int($0) }
        }
        var resend: (UInt32, GatewayRegistration.AuthorizationHeader?)?
        let actions: [GatewayRegistration.Action] = state.withLock { state in
            guard var record = state.records[name], record.generation == generation, var registration = record.registration else { return [] }
            let actions = registration.answered(code: code, phrase: phrase, challenge: challenge, grantedExpires: expires, now: now)
            for action in actions {
                switch action {
                case .statusChanged(let status, _, _):
                    record.status = status
                    record.statusSince = now
                    record.pinger?.setStatus(status)
                case .sendRegister(let cseq, let authorization):
                    resend = (cseq, authorization)
                default:
                    break
                }
            }
            record.registration = registration
            state.records[name] = record
            return actions
        }
        if let (cseq, authorization) = resend {
            send(.register(cseq: cseq, authorization: authorization), gateway: name, generation: generation)
        }
        perform(actions.compactMap(Self.common), gateway: name)
    }

    private enum Common {
        case statusChanged(GatewayStatus, code: Int, phrase: String)
        case log(String, warning: Bool)
        case none
    }

    private static func common(_ action: GatewayPinger.Action) -> Common {
        switch action {
        case .statusChanged(let status, let code, let phrase): return .statusChanged(status, code: code, phrase: phrase)
        case .log(let line, let warning): return .log(line, warning: warning)
        default: return .none
        }
    }

    private static func common(_ action: GatewayRegistration.Action) -> Common? {
        switch action {
        case .statusChanged(let status, let code, let phrase): return .statusChanged(status, code: code, phrase: phrase)
        case .log(let line, let warning): return .log(line, warning: warning)
        default: return nil
        }
    }

    private func perform(_ actions: [Common], gateway name: String) {
        for action in actions {
            switch action {
            case .log(let line, let warning):
                if warning { logger.warning("\(line)") } else { logger.info("\(line)") }
            case .statusChanged(let status, let code, let phrase):
                guard let record = snapshot(name) else { continue }
                GatewayMetrics.state(name, profile: record.settings.profile, status)
                let event = GatewayEvent(gateway: name, profile: record.settings.profile, state: record.state,
                                         pingStatus: status, status: code, phrase: phrase)
                for listener in listeners.withLock({ $0 }) { listener(event) }
            case .none:
                break
            }
        }
    }
}
