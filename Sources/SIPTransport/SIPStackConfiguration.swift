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
    /// TCP connections accepted from one IP address at most (0: no limit).
    public var tcpConnectionsPerAddress: Int
    /// Requests per source address beyond this are dropped before parsing; nil turns it off.
    public var rateLimit: SourceRateLimiter.Settings?
    /// Sources never limited (the operator's own PBXs).
    public var rateLimitExempt: @Sendable (SocketAddress) -> Bool
    /// When new INVITEs over UDP are answered 503 because the service has fallen behind; nil
    /// (the default here; the service turns `OverloadPolicy.default` on) never refuses.
    public var overload: OverloadPolicy?
    /// The profile name the stack's metrics carry.
    public var profile: String

    public init(host: String = "127.0.0.1", port: Int = 5060, transports: Set<SIPPeer.Transport> = [.udp, .tcp],
                timers: TransactionTimers = TransactionTimers(), advertisedHost: String? = nil,
                tcpIdleTimeout: TimeAmount = .seconds(300), tcpConnectionsPerAddress: Int = SIPStackConfiguration.defaultTCPConnectionsPerAddress,
                rateLimit: SourceRateLimiter.Settings? = SIPStackConfiguration.defaultRateLimit,
                rateLimitExempt: @escaping @Sendable (SocketAddress) -> Bool = { _ in false },
                overload: OverloadPolicy? = nil, profile: String = "default") {
        self.host = host
        self.port = port
        self.transports = transports
        self.timers = timers
        self.advertisedHost = advertisedHost
        self.tcpIdleTimeout = tcpIdleTimeout
        self.tcpConnectionsPerAddress = tcpConnectionsPerAddress
        self.rateLimit = rateLimit
        self.rateLimitExempt = rateLimitExempt
        self.overload = overload
        self.profile = profile
    }

    /// Room for one upstream PBX at about 300 calls per second; a scanner gets a trickle.
    public static let defaultRateLimit = SourceRateLimiter.Settings(requestsPerSecond: 1000, burst: 2000)

    /// Far more than a PBX or carrier opens (a few, or one per registration), and a small part
    /// of the service's file descriptors.
    public static let defaultTCPConnectionsPerAddress = 64
}
