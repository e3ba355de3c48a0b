import LogFormatting
import Testing

struct LogThrottleTests {
    @Test func theFirstReportPassesAndTheNextOnesWithinTenSecondsDoNot() {
        let throttle = LogThrottle()
        #expect(throttle.allows())
        for _ in 0..<1000 { #expect(!throttle.allows()) }
    }

    @Test func eachThrottleCountsForItself() {
        let first = LogThrottle(), second = LogThrottle()
        #expect(first.allows())
        #expect(second.allows())
    }
}
