import Metrics

/// Per-gateway state, ping round trips and ping failures, for the metrics endpoint.
enum GatewayMetrics {
    static func state(_ gateway: String, profile: String, _ status: GatewayStatus) {
        Gauge(label: "gateway_up", dimensions: [("gateway", gateway), ("profile", profile)]).record(status == .up ? 1 : 0)
    }

    static func pingAnswered(_ gateway: String, roundTrip: Duration?, failed: Bool) {
        if let roundTrip {
            Metrics.Timer(label: "gateway_ping_seconds", dimensions: [("gateway", gateway)]).record(duration: roundTrip)
        }
        if failed {
            Counter(label: "gateway_ping_failures_total", dimensions: [("gateway", gateway)]).increment()
        }
    }
}
