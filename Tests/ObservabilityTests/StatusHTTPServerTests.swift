import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateways
import Logging
import NIOPosix
import Observability
import Synchronization
import Testing

struct StatusHTTPServerTests {
    static let snapshot = StatusSnapshot(
        version: "test", uptimeSeconds: 12, activeCalls: 3, totalCalls: 40,
        gateways: [
            GatewaySummary(name: "gw1", profile: "external", proxy: "127.0.0.1:5091", registration: "NOREG", status: "UP",
                           pingMilliseconds: 1.4, pingState: "1/1/1",
                           counters: .init(callsIn: 0, callsOut: 10, failedCallsIn: 0, failedCallsOut: 1)),
            GatewaySummary(name: "<gw2>", profile: "external", proxy: "127.0.0.1:5092", registration: "NOREG", status: "DOWN",
                           pingMilliseconds: nil, pingState: "0/0/1",
                           counters: .init(callsIn: 0, callsOut: 0, failedCallsIn: 0, failedCallsOut: 0)),
        ],
        lists: [.init(name: "2gw", nodes: [.init(name: "gw1", weight: 1, picks: 10), .init(name: "gw2", weight: 9, picks: 90)])]
    )

    @Test func pageShowsGatewaysAndSharesEscaped() {
        let page = StatusPage.html(Self.snapshot)
        #expect(page.contains("<td class=\"UP\">UP</td>"))
        #expect(page.contains("&lt;gw2&gt;"))
        #expect(!page.contains("<gw2>"))
        // Configured 10% / 90%, actual 10.0% / 90.0%.
        #expect(page.contains("<td class=\"num\">10.0%</td><td class=\"num\">10</td><td class=\"num\">10.0%</td>"))
        #expect(page.contains("<td class=\"num\">90.0%</td><td class=\"num\">90</td><td class=\"num\">90.0%</td>"))
    }

    @Test func aClientTheACLRefusesGets403() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let asked = Mutex<[String]>([])
        let server = StatusHTTPServer(metrics: MetricsRegistry(), logger: Logger(label: "test"), admits: { source in
            asked.withLock { $0.append(source) }
            return false
        }) { Self.snapshot }
        try await server.start(host: "127.0.0.1", port: 0, group: group)
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port ?? 0)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 403)
        #expect(String(decoding: data, as: UTF8.self) == "127.0.0.1 is not allowed by metrics.conf's apply-inbound-acl\n")
        #expect(asked.withLock { $0 } == ["127.0.0.1"])
        await server.stop()
        try await group.shutdownGracefully()
    }

    @Test func servesMetricsPageJSONAndNotFound() async throws {
        let registry = MetricsRegistry()
        registry.prometheus.makeCounter(name: "sip_rate_limited_total", labels: [("profile", "external")]).increment(by: Int64(7))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = StatusHTTPServer(metrics: registry, logger: Logger(label: "test")) { Self.snapshot }
        try await server.start(host: "127.0.0.1", port: 0, group: group)
        let base = "http://127.0.0.1:\(server.port ?? 0)"

        func get(_ path: String) async throws -> (Int, String, String) {
            let (data, response) = try await URLSession.shared.data(from: URL(string: base + path)!)
            let http = response as! HTTPURLResponse
            return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
        }
        let metrics = try await get("/metrics")
        #expect(metrics.0 == 200)
        #expect(metrics.1.hasPrefix("text/plain"))
        #expect(metrics.2.contains("sip_rate_limited_total{profile=\"external\"} 7"))
        #expect(metrics.2.contains("process_resident_memory_bytes "))
        let page = try await get("/")
        #expect(page.0 == 200 && page.1.hasPrefix("text/html") && page.2.contains("data-gateway=\"gw1\""))
        let json = try await get("/status.json")
        let decoded = try JSONDecoder().decode(StatusSnapshot.self, from: Data(json.2.utf8))
        #expect(decoded.lists.first?.nodes.map(\.picks) == [10, 90])
        #expect(try await get("/nope").0 == 404)
        await server.stop()
        try await group.shutdownGracefully()
    }
}
