import Causes
import Metrics

/// Calls by result and by gateway, for the metrics endpoint. The metrics factory keeps one
/// counter per label set, so making them on use costs a lookup, once per call.
enum CallMetrics {
    /// An incoming call is over: answered (then ended by either side) or refused with `cause`.
    static func ended(answered: Bool, cause: HangupCause) {
        Counter(label: "distributor_calls_total", dimensions: [("result", answered ? "answered" : "failed"), ("cause", cause.name)]).increment()
    }

    /// A leg to a gateway was answered, or failed with `cause` (GATEWAY_DOWN when none was sent).
    static func gatewayLeg(_ gateway: String, answered: Bool, cause: HangupCause? = nil) {
        Counter(label: "distributor_gateway_calls_total", dimensions: [
            ("gateway", gateway), ("result", answered ? "answered" : "failed"), ("cause", cause?.name ?? "NONE"),
        ]).increment()
    }
}
