import NIOCore
import SIPTransaction

public struct SIPStackConfiguration: Sendable {
    /// The address to listen on; loopback unless the operator says otherwise.
    public var host: String
    public var port: Int
    public var transports: Set<SIPPeer.Transport>
    public var timers: TransactionTimers
    /// The host put in our Via and Contact headers (`ext-sip-ip`), when not `host`.
    public var advertisedHost: String?
    /// A TCP connection with no traffic for this long is closed.
    public var tcpIdleTimeout: TimeAmount

    public init(host: String = "127.0.0.1", port: Int = 5060, transports: Set<SIPPeer.Transport> = [.udp, .tcp],
                timers: TransactionTimers = TransactionTimers(), advertisedHost: String? = nil,
                tcpIdleTimeout: TimeAmount = .seconds(300)) {
        self.host = host
        self.port = port
        self.transports = transports
        self.timers = timers
        self.advertisedHost = advertisedHost
        self.tcpIdleTimeout = tcpIdleTimeout
    }
}
