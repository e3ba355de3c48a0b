import Causes
import CounterFamilies

/// Calls by result and by gateway, for the metrics endpoint.
enum CallMetrics {
    private static let calls = CounterFamily(label: "distributor_calls_total", dimensionNames: ["result", "cause"])
    private static let gatewayCalls = CounterFamily(label: "distributor_gateway_calls_total", dimensionNames: ["gateway", "result", "cause"])

    /// An incoming call is over: answered (then ended by either side) or refused with `cause`.
    static func ended(answered: Bool, cause: HangupCause) {
        calls.counter(answered ? "answered" : "failed", cause.name).increment()
    }

    /// A leg to a gateway was answered, or failed with `cause` (GATEWAY_DOWN when none was sent).
    static func gatewayLeg(_ gateway: String, answered: Bool, cause: HangupCause? = nil) {
        gatewayCalls.counter(gateway, answered ? "answered" : "failed", cause?.name ?? "NONE").increment()
    }
}
