import Bridge
import Causes
import Testing

struct OriginateMachineTests {
    private func started(_ actions: [OriginateMachine.Action]) -> [Int] {
        actions.compactMap { if case .startLeg(let id, _) = $0 { id } else { nil } }
    }

    @Test func failoverToTheNextGroupThenFailWithTheLastCode() {
        var machine = OriginateMachine(dialString: DialString("sofia/gateway/gw1/1|sofia/gateway/gw2/1"))
        #expect(started(machine.start()) == [0])
        let next = machine.handle(leg: 0, .failed(cause: .normalTemporaryFailure, sipStatus: 503))
        #expect(started(next) == [1])
        let end = machine.handle(leg: 1, .failed(cause: .userBusy, sipStatus: 486))
        #expect(end.last == .failed(cause: .userBusy, sipStatus: 486))
        #expect(machine.isFinished)
    }

    @Test func gatewayDownKeepsTheLastSIPCodeOfAnEarlierLeg() {
        var machine = OriginateMachine(dialString: DialString("sofia/gateway/gw1/1|sofia/gateway/gw2/1"))
        _ = machine.start()
        _ = machine.handle(leg: 0, .failed(cause: .normalTemporaryFailure, sipStatus: 503))
        let end = machine.handle(leg: 1, .failed(cause: .gatewayDown, sipStatus: nil))
        #expect(end.last == .failed(cause: .gatewayDown, sipStatus: 503))
    }

    @Test func simultaneousLegsFirstAnswerWinsOthersStop() {
        var machine = OriginateMachine(dialString: DialString("sofia/gateway/gw1/1,sofia/gateway/gw2/1"))
        #expect(started(machine.start()) == [0, 1])
        _ = machine.handle(leg: 0, .provisional(status: 180, hasSDP: false))
        let actions = machine.handle(leg: 1, .answered)
        #expect(actions.contains(.stopLeg(id: 0)))
        #expect(actions.last == .answered(id: 1))
        #expect(machine.handle(leg: 0, .answered) == [.stopLeg(id: 0)])
    }

    @Test func earlyMediaEndsFailoverUnlessIgnored() {
        var machine = OriginateMachine(dialString: DialString("sofia/gateway/gw1/1|sofia/gateway/gw2/1"))
        _ = machine.start()
        #expect(machine.handle(leg: 0, .provisional(status: 183, hasSDP: true)).last == .progress(id: 0, status: 183, earlyMedia: true))
        #expect(machine.handle(leg: 0, .failed(cause: .normalTemporaryFailure, sipStatus: 503)).last == .failed(cause: .normalTemporaryFailure, sipStatus: 503))

        var ignoring = OriginateMachine(dialString: DialString("{ignore_early_media=true}sofia/gateway/gw1/1|sofia/gateway/gw2/1"))
        _ = ignoring.start()
        _ = ignoring.handle(leg: 0, .provisional(status: 183, hasSDP: true))
        #expect(started(ignoring.handle(leg: 0, .failed(cause: .normalTemporaryFailure, sipStatus: 503))) == [1])
    }

    @Test func timers() {
        var machine = OriginateMachine(dialString: DialString("[leg_timeout=5]sofia/gateway/gw1/1|sofia/gateway/gw2/1"), callTimeout: .seconds(30))
        let first = machine.start()
        #expect(first.contains(.schedule(.group(0), after: .seconds(30))))
        #expect(first.contains(.schedule(.leg(0), after: .seconds(5))))
        let afterLegTimeout = machine.fire(.leg(0))
        #expect(afterLegTimeout.contains(.stopLeg(id: 0)))
        #expect(started(afterLegTimeout) == [1])
        // The group timer of the second group ends the whole bridge with NO_ANSWER.
        #expect(machine.fire(.group(1)).last == .failed(cause: .noAnswer, sipStatus: nil))

        var progress = OriginateMachine(dialString: DialString("{progress_timeout=2}sofia/gateway/gw1/1"))
        _ = progress.start()
        #expect(progress.fire(.progress(0)).last == .failed(cause: .progressTimeout, sipStatus: nil))
    }
}
