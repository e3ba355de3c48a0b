import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// The Prometheus endpoint and the status page of a service that carried calls.
@Suite(.serialized, .enabled(if: Sipp.isInstalled, "sipp (Debian sip-tester) is not installed"))
struct ObservabilityInteropTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    private func serviceAfterTenCalls() throws -> (ServiceProcess, [Sipp.Server]) {
        let gateways = try [Sipp.Server(scenario: "gateway_uas"), Sipp.Server(scenario: "gateway_uas")]
        func gateway(_ name: String, _ port: Int) -> String {
            "<include><gateway name=\"\(name)\"><param name=\"proxy\" value=\"127.0.0.1:\(port)\"/><param name=\"register\" value=\"false\"/><param name=\"ping\" value=\"5\"/></gateway></include>"
        }
        let service = try ServiceProcess(files: [
            "conf/sip_profiles/external/gw1.xml": gateway("gw1", gateways[0].port),
            "conf/sip_profiles/external/gw2.xml": gateway("gw2", gateways[1].port),
            "dialplan/default.xml": "<include><context name=\"default\">\(BridgeInteropTests.seed)</context></include>",
        ])
        try service.waitFor("metrics and status page on", seconds: 5)
        let result = try Sipp.run(scenario: "uac_call", port: service.sipPort, calls: 10, arguments: ["-s", "9980", "-r", "20", "-l", "1"], limit: 30)
        #expect(result.statistic("SuccessfulCall(C)") == 10, "\(result)")
        try service.waitFor("0 call(s) in progress", seconds: 5)
        return (service, gateways)
    }

    private func get(_ url: String) throws -> String {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var body: String?
        URLSession.shared.dataTask(with: URL(string: url)!) { data, _, _ in
            body = data.map { String(decoding: $0, as: UTF8.self) }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return try #require(body)
    }

    /// The value of the sample of `name` carrying every one of `labels`.
    private func sample(_ exposition: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            let matches = labels.allSatisfy { line.contains("\($0.key)=\"\($0.value)\"") }
            if matches, let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    @Test func metricsCountCallsMessagesPicksAndGateways() throws {
        let (service, gateways) = try serviceAfterTenCalls()
        defer { service.stop(); gateways.forEach { $0.stop() } }
        // The first ping goes out 5 s after start; wait (bounded) until both gateways have answered one.
        var metrics = ""
        let deadline = Date().addingTimeInterval(15)
        repeat {
            metrics = try get("http://127.0.0.1:\(service.metricsPort)/metrics")
            if ["gw1", "gw2"].allSatisfy({ sample(metrics, "gateway_ping_seconds_count", ["gateway": $0]) != nil }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        #expect(sample(metrics, "sip_requests_total", ["direction": "in", "method": "INVITE"]) == 10, "\(metrics)")
        #expect(sample(metrics, "sip_requests_total", ["direction": "out", "method": "INVITE"]) == 10)
        #expect(sample(metrics, "sip_responses_total", ["direction": "out", "status": "200"]).map { $0 >= 20 } == true)
        #expect(sample(metrics, "distributor_calls_total", ["result": "answered", "cause": "NORMAL_CLEARING"]) == 10)
        #expect(sample(metrics, "distributor_gateway_calls_total", ["gateway": "gw1", "result": "answered"]) == 5)
        #expect(sample(metrics, "distributor_gateway_calls_total", ["gateway": "gw2", "result": "answered"]) == 5)
        #expect(sample(metrics, "distributor_picks_total", ["list": "2gw", "node": "gw1"]) == 5)
        #expect(sample(metrics, "distributor_active_calls") == 0)
        #expect(sample(metrics, "gateway_up", ["gateway": "gw1"]) == 1)
        #expect(sample(metrics, "gateway_ping_seconds_count", ["gateway": "gw2"]).map { $0 >= 1 } == true)
        #expect(sample(metrics, "sip_rate_limited_total") == nil || sample(metrics, "sip_rate_limited_total") == 0)
    }

    @Test(.enabled(if: ObservabilityInteropTests.chromium != nil, "chromium is not installed"))
    func statusPageRendersInAHeadlessBrowser() throws {
        let (service, gateways) = try serviceAfterTenCalls()
        defer { service.stop(); gateways.forEach { $0.stop() } }
        let profile = NSTemporaryDirectory() + "chromium-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
                             "--dump-dom", "http://127.0.0.1:\(service.metricsPort)/"]
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if browser.waitForExit(seconds: 60) == nil { browser.stop(grace: 1) }
        #expect(dom.contains("<title>distributor status</title>"), "\(dom)")
        #expect(dom.contains("data-gateway=\"gw1\"") && dom.contains("data-gateway=\"gw2\""))
        #expect(dom.contains("<td class=\"UP\">UP</td>"))
        // Weights 1 and 1, five calls each: both shares 50%.
        #expect(dom.components(separatedBy: "<td class=\"num\">50.0%</td>").count - 1 == 4, "\(dom)")
        #expect(dom.contains("<span id=\"active-calls\">0</span>"))
    }
}
