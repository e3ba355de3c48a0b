/// FreeSWITCH's two views of a gateway: `status` says whether calls may use it, `state` where
/// its registration is.
public enum GatewayStatus: String, Hashable, Sendable {
    case up = "UP"
    case down = "DOWN"
}

public enum RegistrationState: String, Hashable, Sendable {
    case unregistered = "UNREGED"
    case trying = "TRYING"
    case register = "REGISTER"
    case registered = "REGED"
    case unregister = "UNREGISTER"
    case failed = "FAILED"
    case failWait = "FAIL_WAIT"
    case expired = "EXPIRED"
    case noRegistration = "NOREG"
    case down = "DOWN"
    case timeout = "TIMEOUT"
}
