import Causes
import TextTrimming

/// One run of the `bridge` application (FreeSWITCH's originate): the dial string's groups tried
/// in order, the legs of a group rung at once, the first answer winning, with the group timer
/// (`originate_timeout`, else the caller's `call_timeout`, 60 s by default) restarting for each
/// group, `leg_timeout` and `progress_timeout` per leg, and early media (18x with SDP) ending
/// failover unless `ignore_early_media` is set. A value type: its owner sends the INVITEs,
/// runs the timers and reports what the legs do.
public struct OriginateMachine: Sendable {
    public enum LegEvent: Hashable, Sendable {
        case provisional(status: Int, hasSDP: Bool)
        case answered
        /// The leg ended without an answer; `sipStatus` is the gateway's final code when it sent one.
        case failed(cause: HangupCause, sipStatus: Int?)
    }

    public enum Timer: Hashable, Sendable {
        case group(Int)
        case leg(Int)
        case progress(Int)
    }

    public enum Action: Hashable, Sendable {
        case startLeg(id: Int, leg: DialString.Leg)
        /// Stop ringing this leg (CANCEL, or BYE after a late answer).
        case stopLeg(id: Int)
        case schedule(Timer, after: Duration)
        case cancelTimer(Timer)
        /// Relay this provisional response of the leg to the caller.
        case progress(id: Int, status: Int, earlyMedia: Bool)
        case answered(id: Int)
        case failed(cause: HangupCause, sipStatus: Int?)
    }

    private enum LegState: Hashable, Sendable { case calling, ringing, ended }

    private struct LegRecord: Sendable {
        let group: Int
        let leg: DialString.Leg
        var state: LegState = .calling
    }

    public let dialString: DialString
    private let callTimeout: Duration
    private var group = -1
    private var legs: [Int: LegRecord] = [:]
    private var nextID = 0
    private var committed = false
    private var finished = false
    private var lastCause: HangupCause = .noAnswer
    private var lastSIPStatus: Int?

    public init(dialString: DialString, callTimeout: Duration = .seconds(60)) {
        self.dialString = dialString
        self.callTimeout = callTimeout
    }

    public var isFinished: Bool { finished }

    public mutating func start() -> [Action] {
        guard !dialString.groups.isEmpty else {
            finished = true
            return [.failed(cause: .invalidURL, sipStatus: nil)]
        }
        return startGroup(0)
    }

    public mutating func handle(leg id: Int, _ event: LegEvent) -> [Action] {
        guard var record = legs[id] else { return [] }
        if finished || record.state == .ended {
            // A leg that answers after another won, or after we gave up, is hung up.
            if event == .answered { return [.stopLeg(id: id)] }
            return []
        }
        switch event {
        case .provisional(let status, let hasSDP):
            var actions: [Action] = [.cancelTimer(.progress(id))]
            record.state = .ringing
            legs[id] = record
            let earlyMedia = hasSDP && !Self.isTrue(record.leg.variables["ignore_early_media"])
            if earlyMedia { committed = true }
            actions.append(.progress(id: id, status: status, earlyMedia: earlyMedia))
            return actions
        case .answered:
            finished = true
            record.state = .ended
            legs[id] = record
            var actions: [Action] = [.cancelTimer(.group(group)), .cancelTimer(.leg(id)), .cancelTimer(.progress(id))]
            for (other, otherRecord) in legs.sorted(by: { $0.key < $1.key }) where other != id && otherRecord.state != .ended {
                legs[other]?.state = .ended
                actions += [.stopLeg(id: other), .cancelTimer(.leg(other)), .cancelTimer(.progress(other))]
            }
            return actions + [.answered(id: id)]
        case .failed(let cause, let sipStatus):
            return end(id, cause: cause, sipStatus: sipStatus, stop: false)
        }
    }

    public mutating func fire(_ timer: Timer) -> [Action] {
        guard !finished else { return [] }
        switch timer {
        case .group(let index):
            guard index == group else { return [] }
            var actions: [Action] = []
            for (id, record) in legs.sorted(by: { $0.key < $1.key }) where record.group == group && record.state != .ended {
                legs[id]?.state = .ended
                actions += [.stopLeg(id: id), .cancelTimer(.leg(id)), .cancelTimer(.progress(id))]
            }
            lastCause = .noAnswer
            let continues = Self.isTrue(dialString.globalVariables["originate_continue_on_timeout"])
            return actions + (continues ? advance() : finish())
        case .leg(let id):
            return end(id, cause: .allottedTimeout, sipStatus: nil, stop: true)
        case .progress(let id):
            guard legs[id]?.state == .calling else { return [] }
            return end(id, cause: .progressTimeout, sipStatus: nil, stop: true)
        }
    }

    private mutating func end(_ id: Int, cause: HangupCause, sipStatus: Int?, stop: Bool) -> [Action] {
        guard var record = legs[id], record.state != .ended else { return [] }
        record.state = .ended
        legs[id] = record
        lastCause = cause
        if let sipStatus { lastSIPStatus = sipStatus }
        var actions: [Action] = stop ? [.stopLeg(id: id)] : []
        actions += [.cancelTimer(.leg(id)), .cancelTimer(.progress(id))]
        let groupDone = legs.values.allSatisfy { $0.group != group || $0.state == .ended }
        guard groupDone else { return actions }
        return actions + [.cancelTimer(.group(group))] + advance()
    }

    private mutating func advance() -> [Action] {
        if committed || group + 1 >= dialString.groups.count { return finish() }
        return startGroup(group + 1)
    }

    private mutating func finish() -> [Action] {
        finished = true
        return [.failed(cause: lastCause, sipStatus: lastSIPStatus)]
    }

    private mutating func startGroup(_ index: Int) -> [Action] {
        group = index
        let members = dialString.groups[index]
        let timeout = members.first?.variables["originate_timeout"].flatMap(Self.seconds) ?? callTimeout
        var actions: [Action] = [.schedule(.group(index), after: timeout)]
        for leg in members {
            let id = nextID
            nextID += 1
            legs[id] = LegRecord(group: index, leg: leg)
            if let seconds = leg.variables["leg_timeout"].flatMap(Self.seconds) { actions.append(.schedule(.leg(id), after: seconds)) }
            if let seconds = (leg.variables["progress_timeout"] ?? leg.variables["leg_progress_timeout"]).flatMap(Self.seconds) {
                actions.append(.schedule(.progress(id), after: seconds))
            }
            actions.append(.startLeg(id: id, leg: leg))
        }
        return actions
    }

    static func seconds(_ text: String) -> Duration? {
        guard let value = Int(text.trimmed()), value > 0 else { return nil }
        return .seconds(value)
    }

    static func isTrue(_ value: String?) -> Bool {
        guard let value else { return false }
        return ["true", "yes", "on", "1"].contains(value.lowercased())
    }
}
