import EventSocket
import Testing

struct ESLAdmissionTests {
    let start = ContinuousClock.now

    @Test func connectionsAreCappedInAllAndPerSource() {
        var admission = ESLAdmission(limits: .init(maxConnections: 3, maxConnectionsPerSource: 2))
        #expect(admission.open("10.0.0.1", at: start) == .admit)
        #expect(admission.open("10.0.0.1", at: start) == .admit)
        #expect(admission.open("10.0.0.1", at: start) == .tooManyFromSource)
        #expect(admission.open("10.0.0.2", at: start) == .admit)
        #expect(admission.open("10.0.0.3", at: start) == .tooManyConnections)
        admission.closed("10.0.0.1")
        #expect(admission.open("10.0.0.3", at: start) == .admit)
        #expect(admission.connections == 3)
    }

    @Test func repeatedFailedAuthBlocksTheSourceForAWhile() {
        var admission = ESLAdmission(limits: .init(maxAuthFailures: 3, blockSeconds: 60))
        let blocks = [0, 1, 2].map { admission.authFailed("10.0.0.9", at: start + .seconds($0)) }
        #expect(blocks == [false, false, true])
        #expect(admission.open("10.0.0.9", at: start + .seconds(3)) == .blocked(remaining: .seconds(59)))
        #expect(admission.open("10.0.0.1", at: start + .seconds(3)) == .admit)
        admission.closed("10.0.0.9")
        #expect(admission.open("10.0.0.9", at: start + .seconds(62)) == .admit)
    }

    @Test func blockedClientsWaitingForTheirRejectionAreCappedToo() {
        var admission = ESLAdmission(limits: .init(maxConnectionsPerSource: 2, maxAuthFailures: 1, blockSeconds: 60))
        _ = admission.authFailed("10.0.0.9", at: start)
        #expect(admission.open("10.0.0.9", at: start) == .blocked(remaining: .seconds(60)))
        #expect(admission.open("10.0.0.9", at: start) == .blocked(remaining: .seconds(60)))
        #expect(admission.open("10.0.0.9", at: start) == .tooManyFromSource)
    }

    @Test func failuresOutsideTheWindowDoNotAddUp() {
        var admission = ESLAdmission(limits: .init(maxAuthFailures: 2, blockSeconds: 10))
        let blocks = [0, 11, 12].map { admission.authFailed("10.0.0.9", at: start + .seconds($0)) }
        #expect(blocks == [false, false, true])
    }

    @Test func idleSourcesAreForgotten() {
        var admission = ESLAdmission(limits: .init(maxAuthFailures: 2, blockSeconds: 10))
        _ = admission.authFailed("10.0.0.9", at: start)
        _ = admission.open("10.0.0.1", at: start)
        admission.closed("10.0.0.1")
        #expect(admission.trackedSources == 1)
        admission.expire(at: start + .seconds(11))
        #expect(admission.trackedSources == 0)
    }
}
