import SIPTransport
import Testing

struct SourceRateLimiterTests {
    private let scanner = SourceKey(high: 0, low: 2)
    private let caller = SourceKey(high: 0, low: 1)
    private let second: UInt64 = 1_000_000_000

    @Test func aBurstIsAdmittedThenTheRateHolds() {
        var limiter = SourceRateLimiter(settings: .init(requestsPerSecond: 10, burst: 20))
        let admitted = (0..<100).filter { _ in limiter.admit(scanner, at: 0) == .admit }.count
        #expect(admitted == 20)
        // Half a second refills five tokens.
        let later = (0..<100).filter { _ in limiter.admit(scanner, at: second / 2) == .admit }.count
        #expect(later == 5)
    }

    @Test func oneSourceOverItsLimitLeavesOthersAlone() {
        var limiter = SourceRateLimiter(settings: .init(requestsPerSecond: 100, burst: 100))
        var scannerAdmitted = 0, callerAdmitted = 0
        // 10 s: the scanner sends 10,000/s, the caller 50/s.
        for tick in 0..<100_000 {
            let now = UInt64(tick) * second / 10_000
            if limiter.admit(scanner, at: now) == .admit { scannerAdmitted += 1 }
            if tick % 200 == 0, limiter.admit(caller, at: now) == .admit { callerAdmitted += 1 }
        }
        #expect(callerAdmitted == 500)
        #expect((1_000...1_101).contains(scannerAdmitted))
    }

    @Test func dropsAreReportedOncePerTenSeconds() {
        var limiter = SourceRateLimiter(settings: .init(requestsPerSecond: 1, burst: 1))
        #expect(limiter.admit(scanner, at: 0) == .admit)
        #expect(limiter.admit(scanner, at: 1) == .drop(report: true))
        #expect(limiter.admit(scanner, at: 2) == .drop(report: false))
        #expect(limiter.admit(scanner, at: 11 * second) == .admit)
        #expect(limiter.admit(scanner, at: 11 * second + 1) == .drop(report: true))
    }

    @Test func exemptSourcesAreNeverDropped() {
        var limiter = SourceRateLimiter(settings: .init(requestsPerSecond: 1, burst: 1))
        let drops = (0..<1000).filter { _ in limiter.admit(caller, at: 0) { $0 == caller } != .admit }.count
        #expect(drops == 0)
    }

    @Test func aSpoofedFloodCannotGrowTheTableBeyondItsCapacity() {
        var limiter = SourceRateLimiter(settings: .init(requestsPerSecond: 1, burst: 1), capacity: 1000)
        for address in 0..<100_000 {
            _ = limiter.admit(SourceKey(high: 0, low: UInt64(address)), at: UInt64(address))
        }
        #expect(limiter.trackedSources <= 1000)
    }
}
