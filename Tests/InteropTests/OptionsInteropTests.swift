import TestSupport
import Testing

/// sipp against the real `distributor serve`, on 127.0.0.1 only.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct OptionsInteropTests {
    @Test func optionsOverUDPIsAnswered200() throws {
        let service = try ServiceProcess()
        defer { service.stop() }
        let result = try Sipp.run(scenario: "options_uac", port: service.sipPort, calls: 200, arguments: ["-r", "100"])
        #expect(result.status == 0, "\(result)")
        #expect(result.statistic("SuccessfulCall(C)") == 200, "\(result)")
    }

    @Test func optionsOverTCPIsAnswered200() throws {
        let service = try ServiceProcess()
        defer { service.stop() }
        let result = try Sipp.run(scenario: "options_uac", port: service.sipPort, calls: 200, arguments: ["-t", "t1", "-r", "100"])
        #expect(result.status == 0, "\(result)")
        #expect(result.statistic("SuccessfulCall(C)") == 200, "\(result)")
    }

    /// sipp drops 10% of what it sends and receives; retransmissions still complete every
    /// transaction (sipp retransmits the OPTIONS, the server transaction answers the repeat).
    /// sipp's retransmissions back off to 4 s, so a transaction may need half a minute when
    /// several tries in a row are lost: the receive timeout leaves room for that.
    @Test func packetLossIsRecoveredByRetransmission() throws {
        let service = try ServiceProcess()
        defer { service.stop() }
        let result = try Sipp.run(scenario: "options_uac", port: service.sipPort, calls: 300,
                                  arguments: ["-r", "100", "-lost", "10", "-max_retrans", "20"], limit: 120, receiveTimeout: 90)
        #expect(result.status == 0, "\(result)")
        #expect(result.statistic("SuccessfulCall(C)") == 300, "\(result)")
        #expect(result.statistic("FailedCall(C)") == 0, "\(result)")
    }
}
