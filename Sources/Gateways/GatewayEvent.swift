/// `CUSTOM sofia::gateway_state`: a gateway's status or registration state changed.
public struct GatewayEvent: Hashable, Sendable {
    public let gateway: String
    public let profile: String
    /// The registration state: NOREG, REGED, FAIL_WAIT...
    public let state: RegistrationState
    /// UP or DOWN.
    public let pingStatus: GatewayStatus
    public let status: Int
    public let phrase: String
}
