import Causes
import Configuration
import Dialplan
import Events
import Foundation
import Gateways
import Logging
import NIOCore
import SIPAuthentication
import SIPMessage
import SIPTransaction
import SIPTransport
import TextTrimming

/// One call through the B2BUA: the caller's leg, its dialplan run, the bridge's outgoing legs,
/// and once answered the two dialogs. Everything a call does goes through its `SerialRunner`,
/// one event at a time on the thread that brought it, so its state needs no lock of its own.
public final class Call: @unchecked Sendable {
    public enum Phase: String, Sendable { case routing = "ROUTING", bridging = "BRIDGING", answered = "ACTIVE", ended = "HANGUP" }

    /// A class: every response of the leg updates it where it is, with no copy of its messages.
    final class Leg {
        let id: Int
        var invite: SIPRequest { didSet { inviteCSeq = invite.cseq?.number ?? 1 } }
        let peer: SIPPeer
        let gateway: String?
        var provisional: SIPResponse?
        var answer: SIPResponse?
        /// The dialog the answer made, built once for its ACK, a BYE or the bridge.
        var answerDialog: Dialog?
        var stopRequested = false
        var ended = false
        var authenticated = false
        /// The same for every INVITE of the leg (one sent again with credentials too).
        let callID: String
        /// Read once per INVITE sent, not parsed from its header again on every response.
        private(set) var inviteCSeq: UInt32

        /// `callID` and `cseq`: the INVITE's, as it was built (read back from its headers, they
        /// were parsed again).
        init(id: Int, invite: SIPRequest, callID: String, cseq: UInt32, peer: SIPPeer, gateway: String?) {
            self.id = id
            self.invite = invite
            self.callID = callID
            inviteCSeq = cseq
            self.peer = peer
            self.gateway = gateway
        }
    }

    /// What only a call that is not answered yet needs: the caller's INVITE and its transaction,
    /// the dialplan run, the bridge in progress and its timers. Dropped once the final response
    /// is sent, so that an established call keeps little more than its two dialogs.
    private final class Setup {
        var invite: SIPRequest
        let inviteTransaction: ServerTransaction
        var session: DialplanSession
        var originate: OriginateMachine?
        var timers: [OriginateMachine.Timer: NIOScheduledCallback] = [:]
        var sentRinging = false

        init(invite: SIPRequest, inviteTransaction: ServerTransaction, session: DialplanSession) {
            self.invite = invite
            self.inviteTransaction = inviteTransaction
            self.session = session
        }
    }

    public let uuid = SIPIdentifiers.uuid()
    public let created = Date()
    let callID: String
    private let b2bua: B2BUA
    private let callerPeer: SIPPeer
    private let toTag = SIPIdentifiers.tag()
    /// What `show calls`, the events and our Contact read once the dialplan is done.
    private let callerIDNumber: String
    /// Follows the dialplan's `transfer`s until the call is answered.
    private var destinationNumber: String
    private let networkAddress: String
    /// The branch of the caller's INVITE, which a time-out of its transaction names.
    let inviteBranch: String?
    /// The gateway the call came in through, whose FailedCallsIN counts it if it is never answered.
    private let inboundGateway: String?
    private var setup: Setup?
    /// Outgoing legs in progress; once answered, only those still being stopped.
    private var legs: [Int: Leg] = [:]
    private var legCallIDs: [String] = []
    private var answeredLeg: Int?
    /// The CSeq of the answered leg's INVITE, which a retransmitted 2xx is acknowledged with.
    private var answeredInviteCSeq: UInt32 = 1
    private var callerDialog: Dialog?
    private var calleeDialog: Dialog?
    private var finalSent = false
    private(set) public var phase: Phase = .routing
    private(set) public var gateway: String?
    private var hangupCause: HangupCause = .normalClearing
    /// Where the call's timers run.
    private let loop: any EventLoop
    private let events = SerialRunner()
    /// What the legs' transactions report to, cut once the call is over. Held weakly: the
    /// transactions keep it, and it keeps the call, so that a link never cut (a leg that
    /// answered late may repeat its 2xx) lets the call go with its last transaction.
    private weak var currentLink: CuttableLink<Call>?
    private var logger: Logger { b2bua.logger }

    init(b2bua: B2BUA, invite: SIPRequest, peer: SIPPeer, transaction: ServerTransaction, environment: DialplanEnvironment) {
        self.b2bua = b2bua
        loop = b2bua.group.any()
        callID = invite.callID ?? ""
        callerPeer = peer
        inviteBranch = invite.topVia?.branch
        let from = invite.from
        let toUser = invite.to?.uri.user
        let inbound = InboundGateway.find(requestURI: invite.uri, toUser: toUser, gateway: b2bua.gateways.settings(of:))
        inboundGateway = inbound?.settings.name
        let profile = CallerProfile(
            destinationNumber: inbound?.destination ?? invite.uri.user ?? toUser ?? "",
            callerIDNumber: from?.uri.user ?? "",
            callerIDName: from?.displayName ?? from?.uri.user ?? "",
            networkAddress: peer.ipAddress ?? "",
            context: inbound?.settings.context ?? b2bua.settings.context,
            uuid: uuid,
            channelName: "sofia/\(b2bua.settings.profile)/\(from?.uri.user ?? "")@\(from?.uri.host ?? "")"
        )
        callerIDNumber = profile.callerIDNumber
        destinationNumber = profile.destinationNumber
        networkAddress = profile.networkAddress
        // Room for what the dialplan usually adds (DP_MATCH, a few `set`s) without growing, in
        // under 1 KiB: a larger block makes glibc's malloc consolidate its free lists first.
        var variables = [String: String](minimumCapacity: 12)
        variables["sip_from_user"] = from?.uri.user ?? ""
        variables["sip_from_host"] = from?.uri.host ?? ""
        variables["sip_to_user"] = toUser ?? ""
        variables["sip_req_uri"] = invite.uri.description
        variables["sip_call_id"] = callID
        variables["sip_profile_name"] = b2bua.settings.profile
        if let inbound {
            variables["sip_gateway"] = inbound.settings.name
            for (name, value) in inbound.variables { variables[name] = value }
            b2bua.gateways.count(inbound.settings.name) { $0.callsIn += 1 }
        }
        setup = Setup(invite: invite, inviteTransaction: transaction,
                      session: DialplanSession(caller: profile, variables: variables, environment: environment, recordsTrace: false))
    }

    /// A short line for `show calls`.
    public var summary: String {
        "\(uuid),inbound,\(Int(created.timeIntervalSince1970)),\(callerIDNumber),\(destinationNumber),\(gateway ?? ""),\(phase.rawValue)"
    }

    func start() {
        publish("CHANNEL_CREATE")
        events.run {
            guard let setup = self.setup else { return }
            self.run(setup.session.start())
        }
    }

    /// CHANNEL_CREATE, CHANNEL_ANSWER, CHANNEL_HANGUP_COMPLETE for the event socket.
    private func publish(_ name: String, extra: [(String, String)] = []) {
        guard b2bua.events.hasListeners else { return }
        b2bua.events.publish(Event(name: name, headers: [
            ("Unique-ID", uuid), ("Call-Direction", "inbound"), ("Channel-Call-State", phase.rawValue),
            ("Caller-Caller-ID-Number", callerIDNumber), ("Caller-Destination-Number", destinationNumber),
            ("Caller-Network-Addr", networkAddress), ("variable_sip_call_id", callID),
            ("variable_sip_gateway_name", gateway ?? ""),
        ] + extra))
    }

    // MARK: - Dialplan

    private func run(_ step: DialplanStep) {
        guard phase != .ended, let setup else { return }
        destinationNumber = setup.session.caller.destinationNumber
        switch step {
        case .execute(let application, let data, _) where application == "bridge":
            startBridge(data, setup)
        case .execute:
            run(setup.session.next())
        case .finished(let outcome):
            if phase == .answered { return }
            reject(outcome.cause, explicitStatus: { if case .respond(let status, let reason) = outcome { return (status, reason) } else { return nil } }(),
                   noRoute: outcome == .noRoute)
        }
    }

    private func startBridge(_ data: String, _ setup: Setup) {
        let timeout = setup.session.variables["call_timeout"].flatMap { Int($0) }.flatMap { $0 > 0 ? Duration.seconds($0) : nil } ?? .seconds(60)
        let dialString = DialString.parsed(data).overlaying { self.b2bua.gateways.settings(of: $0)?.outboundLegVariables ?? [:] }
        var machine = OriginateMachine(dialString: dialString, callTimeout: timeout)
        phase = .bridging
        let actions = machine.start()
        setup.originate = machine
        apply(actions)
    }

    private func feed(_ id: Int, _ event: OriginateMachine.LegEvent) {
        // Taken out while it runs, so that its lists are mutated in place rather than copied.
        guard let setup, var machine = setup.originate.take() else { return }
        let actions = machine.handle(leg: id, event)
        setup.originate = machine
        apply(actions)
    }

    private func apply(_ actions: [OriginateMachine.Action]) {
        for action in actions {
            switch action {
            case .startLeg(let id, let leg):
                launch(id, leg)
            case .stopLeg(let id):
                stopLeg(id)
            case .schedule(let timer, let after):
                guard let setup else { continue }
                setup.timers[timer]?.cancel()
                let delay = TimeAmount.nanoseconds(Int64(after.components.seconds) * 1_000_000_000 + after.components.attoseconds / 1_000_000_000)
                setup.timers[timer] = try? loop.scheduleCallback(in: delay, handler: Alarm(call: self, timer: timer))
            case .cancelTimer(let timer):
                setup?.timers.removeValue(forKey: timer)?.cancel()
            case .progress(let id, let status, _):
                relayProgress(from: id, status: status)
            case .answered(let id):
                bridged(id)
            case .failed(let cause, let sipStatus):
                bridgeFailed(cause, sipStatus: sipStatus)
            }
        }
    }

    // MARK: - Outgoing legs

    private func launch(_ id: Int, _ leg: DialString.Leg) {
        guard let setup else { return }
        let stack = b2bua.stack
        var gatewaySettings: GatewaySettings?
        if case .gateway(let name, _) = leg.endpoint { gatewaySettings = b2bua.gateways.settings(of: name) }
        let gatewayHeaders = gatewaySettings?.outboundHeaderVariables ?? [:]
        // mod_sofia copies the caller's own `sip_h_` variables to every leg when this is unset or true.
        let callersHeaders = setup.session.variables["sip_copy_custom_headers"].map(switchTrue) ?? true ? setup.session.variables : [:]
        let presented = OutboundInvite.callerID(name: setup.session.caller.callerIDName, number: callerIDNumber,
                                                callerVariables: setup.session.variables, exports: setup.session.exports,
                                                legVariables: leg.variables, profileVariables: gatewaySettings?.outboundProfileVariables ?? [:])
        let caller = OutboundInvite.Caller(invite: setup.invite, callerIDNumber: presented.number, callerIDName: presented.name,
                                           callerIDType: leg.variables["sip_cid_type"].flatMap { CallerIDType(rawValue: $0.lowercased()) }
                                               ?? b2bua.settings.callerIDType,
                                           headers: OutboundInvite.headerVariables(gatewayHeaders, callersHeaders, setup.session.exports, leg.variables))
        var request: SIPRequest
        var peer: SIPPeer
        var gatewayName: String?
        do {
            switch leg.endpoint {
            case .gateway(let name, let destination):
                guard let settings = gatewaySettings, let proxy = b2bua.gateways.proxyPeer(of: name) else {
                    logger.error("Invalid Gateway '\(name)'")
                    return feed(id, .failed(cause: .invalidGateway, sipStatus: nil))
                }
                guard b2bua.gateways.status(of: name) == .up else {
                    let tried = setup.session.variables["distributor_tried"].map { $0 + " " } ?? ""
                    setup.session.setVariable("distributor_tried", tried + name)
                    logger.notice("Gateway '\(name)' is down!")
                    b2bua.gateways.count(name) { $0.failedCallsOut += 1 }
                    CallMetrics.gatewayLeg(name, answered: false, cause: .gatewayDown)
                    return feed(id, .failed(cause: .gatewayDown, sipStatus: nil))
                }
                request = try OutboundInvite.toGateway(settings, destination: destination, caller: caller, stack: stack, transport: proxy.transport)
                peer = settings.outboundProxy.flatMap { GatewayAddressResolver.resolve($0, transport: proxy.transport) } ?? proxy
                gatewayName = name
                b2bua.gateways.count(name) { $0.callsOut += 1 }
                let tried = setup.session.variables["distributor_tried"].map { $0 + " " } ?? ""
                setup.session.setVariable("distributor_tried", tried + name)
            case .profile(_, let target):
                request = try OutboundInvite.toTarget(target, caller: caller, stack: stack, transport: .udp)
                guard let resolved = GatewayAddressResolver.resolve(request.uri.host + (request.uri.port.map { ":\($0)" } ?? ""),
                                                                    transport: request.uri.parameters.value("transport")?.lowercased() == "tcp" ? .tcp : .udp) else {
                    return feed(id, .failed(cause: .noRouteDestination, sipStatus: nil))
                }
                peer = resolved
            case .error(let cause):
                return feed(id, .failed(cause: HangupCause(nameOrNumber: cause) ?? .normalUnspecified, sipStatus: nil))
            case .unsupported(let text):
                logger.error("invalid endpoint \"\(text)\" in bridge")
                return feed(id, .failed(cause: .channelNotImplemented, sipStatus: nil))
            }
        } catch {
            logger.error("cannot build the INVITE for \(leg.endpoint): \(error)")
            return feed(id, .failed(cause: .invalidURL, sipStatus: nil))
        }
        let via = stack.newVia(peer.transport)
        request.headers.prepend("Via", via.value)
        let leg = Leg(id: id, invite: request, callID: request.callID ?? "", cseq: OutboundInvite.cseq.number, peer: peer, gateway: gatewayName)
        legs[id] = leg
        legCallIDs.append(leg.callID)
        gateway = gatewayName ?? gateway
        b2bua.calls.alias(leg.callID, to: self)
        logger.info("\(uuid): \(callerIDNumber) -> \(request.uri) via \(gatewayName ?? peer.description)")
        stack.send(request, to: peer, branch: via.branch, onEvent: legEvents(id))
    }

    /// Where a leg's INVITE transaction reports, through the call's link.
    private func legEvents(_ id: Int) -> @Sendable (ClientTransactionEvent) -> Void {
        let link = currentLink ?? CuttableLink(self)
        currentLink = link
        return { event in
            guard let call = link.current else { return }
            call.events.run { call.legEvent(id, event) }
        }
    }

    private func legEvent(_ id: Int, _ event: ClientTransactionEvent) {
        if id == answeredLeg {
            if case .response(let response) = event, (200...299).contains(response.status) { acknowledgeAnswer(response) }
            return
        }
        guard let leg = legs[id] else { return }
        defer {
            forgetEndedLegOnceAnswered(id)
            cutLinkOnceSettled()
        }
        switch event {
        case .response(let response) where response.status < 200:
            guard response.status > 100 else { return }
            leg.provisional = response
            if leg.stopRequested { sendCancel(leg) }
            feed(id, .provisional(status: response.status, hasSDP: !response.body.isEmpty))
        case .response(let response) where response.status < 300:
            if let answered = leg.answerDialog {
                acknowledge(Self.dialog(answered, answering: response), inviteCSeq: leg.inviteCSeq)
                return
            }
            let answered = dialog(for: leg, answer: response)
            leg.answer = response
            leg.answerDialog = answered
            acknowledge(answered, inviteCSeq: leg.inviteCSeq)
            if leg.stopRequested || phase != .bridging {
                hangUpLeg(leg.id, answered)
                return
            }
            feed(id, .answered)
        case .response(let response) where (response.status == 401 || response.status == 407) && !leg.authenticated && !leg.stopRequested:
            guard let retry = authenticatedRetry(leg, challenge: response) else { fallthrough }
            leg.invite = retry
            leg.authenticated = true
            leg.provisional = nil
            b2bua.stack.send(retry, to: leg.peer, onEvent: legEvents(id))
        case .response(let response):
            leg.ended = true
            if let gateway = leg.gateway {
                b2bua.gateways.count(gateway) { $0.failedCallsOut += 1 }
                CallMetrics.gatewayLeg(gateway, answered: false, cause: Self.cause(of: response))
            }
            feed(id, .failed(cause: Self.cause(of: response), sipStatus: response.status))
        case .timedOut:
            leg.ended = true
            if let gateway = leg.gateway {
                b2bua.gateways.count(gateway) { $0.failedCallsOut += 1 }
                CallMetrics.gatewayLeg(gateway, answered: false, cause: .recoveryOnTimerExpire)
            }
            feed(id, .failed(cause: .recoveryOnTimerExpire, sipStatus: 408))
        case .transportFailed:
            leg.ended = true
            if let gateway = leg.gateway {
                b2bua.gateways.count(gateway) { $0.failedCallsOut += 1 }
                CallMetrics.gatewayLeg(gateway, answered: false, cause: .normalTemporaryFailure)
            }
            feed(id, .failed(cause: .normalTemporaryFailure, sipStatus: 503))
        }
    }

    /// Past the bridge, a leg that ended without an answer (its CANCEL answered, a failure) is
    /// not read again. One that answered late and was hung up stays: its 2xx may come again
    /// until our ACK gets through.
    private func forgetEndedLegOnceAnswered(_ id: Int) {
        guard phase != .routing && phase != .bridging, let leg = legs[id], leg.ended, leg.answerDialog == nil else { return }
        legs[id] = nil
        if legs.isEmpty { legs = [:] }
    }

    /// Once the call has ended and every leg had its final response (and none answered late,
    /// whose 2xx may come again until our ACK gets through), its transactions have nothing left
    /// to tell it.
    private func cutLinkOnceSettled() {
        guard phase == .ended, legs.values.allSatisfy({ $0.ended && $0.answerDialog == nil }) else { return }
        currentLink?.cut()
    }

    /// The INVITE again, with digest credentials from the gateway's configuration (once).
    private func authenticatedRetry(_ leg: Leg, challenge response: SIPResponse) -> SIPRequest? {
        guard let name = leg.gateway, let settings = b2bua.gateways.settings(of: name), !settings.password.isEmpty,
              let header = response.headers[response.status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"],
              let challenge = DigestChallenge(header) else { return nil }
        var retry = leg.invite
        retry.headers.removeFirstElement("Via")
        let stack = b2bua.stack
        retry.headers.prepend("Via", stack.newVia(leg.peer.transport).value)
        retry.headers.set("CSeq", "\((leg.invite.cseq?.number ?? 1) + 1) INVITE")
        let value = challenge.authorization(method: "INVITE", uri: retry.uri.description, username: settings.authUsername,
                                            password: settings.password, nonceCount: 1, clientNonce: SIPIdentifiers.tag())
        retry.headers.add(response.status == 401 ? "Authorization" : "Proxy-Authorization", value)
        return retry
    }

    /// A `Reason: Q.850;cause=N` header wins over the SIP status table.
    static func cause(of response: SIPResponse) -> HangupCause {
        if let reason = response.headers["Reason"], reason.uppercased().hasPrefix("Q.850"),
           let causeText = reason.split(separator: ";").first(where: { $0.trimmed().lowercased().hasPrefix("cause=") }),
           let number = Int(causeText.trimmed().dropFirst("cause=".count)), let cause = HangupCause(rawValue: number) {
            return cause
        }
        return SIPCauseMapping.cause(forSIPStatus: response.status)
    }

    private func stopLeg(_ id: Int) {
        guard let leg = legs[id], !leg.ended else { return }
        leg.stopRequested = true
        if let answered = leg.answerDialog {
            hangUpLeg(id, answered)
        } else if leg.provisional != nil {
            sendCancel(leg)
        }
        // Without a provisional response yet, the CANCEL waits for one (RFC 3261 §9.1).
    }

    private func sendCancel(_ leg: Leg) {
        var headers = SIPHeaders()
        if let via = leg.invite.headers.elements("Via").first { headers.add("Via", via) }
        headers.add("Max-Forwards", "70")
        for name in ["From", "To", "Call-ID"] { if let value = leg.invite.headers[name] { headers.add(name, value) } }
        headers.add("CSeq", "\(leg.invite.cseq?.number ?? 1) CANCEL")
        for route in leg.invite.headers.values("Route") { headers.add("Route", route) }
        headers.add("Reason", "SIP;cause=487;text=\"ORIGINATOR_CANCEL\"")
        b2bua.stack.send(SIPRequest(method: "CANCEL", uri: leg.invite.uri, headers: headers), to: leg.peer) { _ in }
    }

    private func dialog(for leg: Leg, answer: SIPResponse) -> Dialog {
        Dialog(answer: answer, callID: leg.callID, local: leg.invite.headers["From"] ?? "", requestURI: leg.invite.uri,
               peer: leg.peer, localCSeq: leg.inviteCSeq)
    }

    /// The dialog a 2xx to our INVITE stands for: `dialog` for a retransmission of its answer,
    /// or, for a 2xx with another To (a fork), our side of it with that fork's remote side, so
    /// that its ACK reaches the fork.
    private static func dialog(_ dialog: Dialog, answering response: SIPResponse) -> Dialog {
        guard let to = response.headers["To"], to != dialog.remote else { return dialog }
        return Dialog(answer: response, callID: dialog.callID, local: dialog.local, requestURI: dialog.remoteTarget,
                      peer: dialog.peer, localCSeq: dialog.localCSeq)
    }

    /// The ACK of a 2xx (each retransmission of it too), a transaction of its own.
    private func acknowledge(_ dialog: Dialog, inviteCSeq: UInt32) {
        let stack = b2bua.stack
        let ack = dialog.ack(cseq: inviteCSeq, transport: dialog.peer.transport, host: stack.advertisedHost, port: stack.port)
        stack.sendStateless(.request(ack), to: dialog.peer)
    }

    /// A retransmitted 2xx of the answered leg (its INVITE transaction passes them on, RFC 6026).
    private func acknowledgeAnswer(_ response: SIPResponse) {
        guard let calleeDialog else { return }
        acknowledge(Self.dialog(calleeDialog, answering: response), inviteCSeq: answeredInviteCSeq)
    }

    /// A leg that answered after another won, or after the call ended: BYE it.
    private func hangUpLeg(_ id: Int, _ answered: Dialog) {
        var legDialog = answered
        b2bua.stack.send(legDialog.request("BYE"), to: legDialog.peer) { _ in }
        legs[id]?.ended = true
    }

    // MARK: - Outcomes

    private func relayProgress(from id: Int, status: Int) {
        guard !finalSent, let setup, let provisional = legs[id]?.provisional else { return }
        if provisional.body.isEmpty {
            guard !setup.sentRinging else { return }
            setup.sentRinging = true
        }
        var response = setup.invite.response(status: status, reason: provisional.reason, toTag: toTag)
        response.headers.add("Contact", ourContact)
        if !provisional.body.isEmpty {
            response.headers.add("Content-Type", provisional.contentType ?? "application/sdp")
            response.body = provisional.body
        }
        setup.inviteTransaction.respond(response)
    }

    private var ourContact: String { b2bua.stack.contact(user: destinationNumber, transport: callerPeer.transport) }

    private func bridged(_ id: Int) {
        guard let setup, let leg = legs[id], let answer = leg.answer, let answered = leg.answerDialog else { return }
        answeredLeg = id
        answeredInviteCSeq = leg.inviteCSeq
        calleeDialog = answered
        let invite = setup.invite
        var response = invite.response(status: 200, toTag: toTag)
        response.headers.add("Contact", ourContact)
        if !answer.body.isEmpty {
            response.headers.add("Content-Type", answer.contentType ?? "application/sdp")
            response.body = answer.body
        }
        let contact = invite.headers["Contact"].flatMap { try? NameAddress($0) }?.uri ?? invite.from?.uri ?? invite.uri
        callerDialog = Dialog(callID: callID, local: (response.headers["To"] ?? ""), remote: invite.headers["From"] ?? "",
                              remoteTarget: contact, routeSet: invite.headers.elements("Record-Route"), peer: callerPeer, localCSeq: 0)
        finalSent = true
        phase = .answered
        setup.inviteTransaction.respond(response)
        publish("CHANNEL_ANSWER")
        if let gateway = leg.gateway { CallMetrics.gatewayLeg(gateway, answered: true) }
        logger.info("\(uuid): answered by \(leg.gateway ?? leg.peer.description)")
        keepOnlyWhatAnAnsweredCallNeeds(answered: id)
    }

    /// An answered call lives on its dialogs: the dialplan run, the caller's INVITE and the
    /// answered leg are not read again. Legs still being stopped, and legs that answered late
    /// and were hung up, keep the headers a CANCEL, an ACK or a BYE is built from.
    private func keepOnlyWhatAnAnsweredCallNeeds(answered id: Int) {
        dropSetup()
        // A new table rather than removals, which would keep the old one's storage.
        var stopping: [Int: Leg] = [:]
        for (legID, leg) in legs where legID != id && (!leg.ended || leg.answerDialog != nil) {
            leg.invite = leg.invite.skeleton
            leg.provisional = leg.provisional.map { SIPResponse(status: $0.status) }
            stopping[legID] = leg
        }
        legs = stopping
    }

    /// A timer of the bridge, as a callback with no promise behind it (a scheduled task's
    /// promise and future were three allocations per call). It does not keep the call alive.
    private struct Alarm: NIOScheduledCallbackHandler, Sendable {
        weak var call: Call?
        let timer: OriginateMachine.Timer

        func handleScheduledCallback(eventLoop: some EventLoop) {
            call?.fire(timer)
        }
    }

    private func fire(_ timer: OriginateMachine.Timer) {
        events.run {
            guard let setup = self.setup, var machine = setup.originate.take() else { return }
            let actions = machine.fire(timer)
            setup.originate = machine
            self.apply(actions)
        }
    }

    private func dropSetup() {
        guard let setup else { return }
        for timer in setup.timers.values { timer.cancel() }
        self.setup = nil
    }

    private func bridgeFailed(_ cause: HangupCause, sipStatus: Int?) {
        guard let setup else { return }
        setup.originate = nil
        phase = .routing
        setup.session.setVariable("originate_failed_cause", cause.name)
        if let sipStatus { setup.session.setVariable("last_bridge_proto_specific_hangup_cause", "sip:\(sipStatus)") }
        logger.info("\(uuid): bridge failed with \(cause.name)\(sipStatus.map { " (SIP \($0))" } ?? "")")
        if continuesAfterFailure(cause, setup.session.variables) {
            run(setup.session.next())
        } else {
            reject(cause, explicitStatus: nil, noRoute: false)
        }
    }

    /// `switch_channel_handle_cause`: whether the dialplan goes on after a failed bridge.
    private func continuesAfterFailure(_ cause: HangupCause, _ variables: [String: String]) -> Bool {
        let continueOnFail = variables["continue_on_fail"]
        let failureCauses = variables["failure_causes"]
        func listed(_ list: String) -> Bool {
            list.split(separator: ",").map { $0.trimmed().uppercased() }.contains { $0 == cause.name || $0 == String(cause.rawValue) }
        }
        if continueOnFail == nil && failureCauses == nil {
            return [.noAnswer, .noUserResponse, .originatorCancel].contains(cause)
        }
        if let value = continueOnFail {
            if ["true", "yes", "on", "1"].contains(value.lowercased()) { return cause != .attendedTransfer }
            if listed(value) { return true }
        }
        if let value = failureCauses { return !listed(value) }
        return false
    }

    /// Ends an unanswered call with a final response: the gateway's own code when it gave one
    /// (unless `sip_ignore_remote_cause`), else FreeSWITCH's table for the cause.
    private func reject(_ cause: HangupCause, explicitStatus: (Int, String?)?, noRoute: Bool) {
        guard !finalSent, let setup else { return end() }
        let variables = setup.session.variables
        var status = noRoute ? 404 : SIPCauseMapping.sipStatus(for: cause)
        var reason: String?
        if let explicitStatus {
            (status, reason) = explicitStatus
        } else if !noRoute, !switchTrue(variables["sip_ignore_remote_cause"]),
                  let remote = variables["last_bridge_proto_specific_hangup_cause"], remote.hasPrefix("sip:"),
                  let code = Int(remote.dropFirst(4)), (300...699).contains(code) {
            status = code
        }
        finalSent = true
        hangupCause = cause
        setup.inviteTransaction.respond(status: status, reason: reason, toTag: toTag)
        logger.info("\(uuid): rejected with \(status) (\(cause.name))")
        end()
    }

    private func end() {
        guard phase != .ended else { return }
        phase = .ended
        dropSetup()
        b2bua.calls.remove(self, callIDs: legCallIDs)
        cutLinkOnceSettled()
        publish("CHANNEL_HANGUP_COMPLETE", extra: [("Hangup-Cause", hangupCause.name)])
        CallMetrics.ended(answered: callerDialog != nil, cause: hangupCause)
        if callerDialog == nil, let inboundGateway { b2bua.gateways.count(inboundGateway) { $0.failedCallsIn += 1 } }
        logger.info("\(uuid): ended; \(b2bua.calls.count) call(s) in progress")
    }

    // MARK: - Caller events

    func callerCancelled(_ inviteTransaction: ServerTransaction?) {
        events.run {
            guard self.phase == .routing || self.phase == .bridging, !self.finalSent, let setup = self.setup else { return }
            setup.originate = nil
            for id in self.legs.keys.sorted() { self.stopLeg(id) }
            self.finalSent = true
            self.hangupCause = .originatorCancel
            setup.inviteTransaction.respond(status: 487, toTag: self.toTag)
            self.logger.info("\(self.uuid): cancelled by the caller")
            self.end()
        }
    }

    func acknowledged(_ ack: SIPRequest) {}

    func callerNeverAcknowledged() {
        events.run { self.hangup(.recoveryOnTimerExpire) }
    }

    func strayResponse(_ response: SIPResponse) {
        events.run {
            guard (200...299).contains(response.status), self.answeredLeg != nil, response.callID == self.calleeDialog?.callID else { return }
            self.acknowledgeAnswer(response)
        }
    }

    /// A request inside the call from either side: BYE ends both legs; re-INVITE, UPDATE and
    /// INFO go to the other side and its answer comes back.
    func inDialog(_ request: SIPRequest, transaction: ServerTransaction) {
        events.run {
            let fromCaller = request.callID == self.callID
            // Another leg's Call-ID (one that failed, lost the race or is being hung up) is not
            // the bridged callee's: its requests end no call and reach no caller.
            guard fromCaller || request.callID == self.calleeDialog?.callID else {
                transaction.respond(status: 481, toTag: self.toTag)
                return
            }
            guard self.phase == .answered, var dialog = fromCaller ? self.calleeDialog : self.callerDialog else {
                transaction.respond(status: request.method == "BYE" && self.phase != .ended ? 200 : 481, toTag: self.toTag)
                if request.method == "BYE" { self.hangup(.normalClearing) }
                return
            }
            if request.method == "BYE" {
                transaction.respond(status: 200)
                self.b2bua.stack.send(dialog.request("BYE"), to: dialog.peer) { _ in }
                self.store(dialog, callerSide: !fromCaller)
                self.logger.info("\(self.uuid): hung up by the \(fromCaller ? "caller" : "callee")")
                self.end()
                return
            }
            let relayed = dialog.request(request.method, body: request.body, contentType: request.contentType)
            self.store(dialog, callerSide: !fromCaller)
            self.b2bua.stack.send(relayed, to: dialog.peer) { [dialog] event in
                self.events.run { self.relayAnswer(event, to: transaction, request: relayed, dialog: dialog) }
            }
        }
    }

    private func store(_ dialog: Dialog, callerSide: Bool) {
        if callerSide { callerDialog = dialog } else { calleeDialog = dialog }
    }

    private func relayAnswer(_ event: ClientTransactionEvent, to transaction: ServerTransaction, request: SIPRequest, dialog: Dialog) {
        switch event {
        case .response(let response):
            if request.method == "INVITE", (200...299).contains(response.status) {
                let ack = dialog.ack(cseq: request.cseq?.number ?? 1, transport: dialog.peer.transport,
                                     host: b2bua.stack.advertisedHost, port: b2bua.stack.port)
                b2bua.stack.sendStateless(.request(ack), to: dialog.peer)
            }
            guard response.status > 100 else { return }
            var answer = transaction.request.response(status: response.status, reason: response.reason, toTag: toTag)
            answer.headers.add("Contact", ourContact)
            if !response.body.isEmpty {
                answer.headers.add("Content-Type", response.contentType ?? "application/sdp")
                answer.body = response.body
            }
            transaction.respond(answer)
        case .timedOut, .transportFailed:
            transaction.respond(status: 408, toTag: toTag)
            // The other side stopped answering: end the call on both legs.
            hangup(.recoveryOnTimerExpire)
        }
    }

    // MARK: - Commands

    /// `uuid_kill`, `hupall`, shutdown: ends the call whatever its phase.
    public func hangup(_ cause: HangupCause) {
        events.run {
            switch self.phase {
            case .ended:
                return
            case .answered:
                if var callee = self.calleeDialog { self.b2bua.stack.send(callee.request("BYE"), to: callee.peer) { _ in }; self.calleeDialog = callee }
                if var caller = self.callerDialog { self.b2bua.stack.send(caller.request("BYE"), to: caller.peer) { _ in }; self.callerDialog = caller }
                self.end()
            case .routing, .bridging:
                self.setup?.originate = nil
                for id in self.legs.keys.sorted() { self.stopLeg(id) }
                self.reject(cause, explicitStatus: nil, noRoute: false)
            }
        }
    }
}
