import Logging
import NIOCore
import Synchronization

/// The cap on TCP connections accepted from one IP address, so that one peer cannot take every
/// file descriptor of the service. Connections we open ourselves are not counted.
final class TCPAdmission: Sendable {
    private let perAddress: Int
    private let open = Mutex<[String: Int]>([:])
    private let refusals: RefusalTally

    /// `perAddress` 0 accepts any number.
    init(perAddress: Int, profile: String, logger: Logger) {
        self.perAddress = perAddress
        refusals = RefusalTally(metric: "sip_tcp_connections_refused_total", profile: profile, logger: logger)
    }

    var refusedCount: Int { refusals.count }

    /// Whether `channel`, just accepted, may stay open; counted until it closes.
    func admit(_ channel: any Channel) -> Bool {
        guard perAddress > 0, let address = channel.remoteAddress?.ipAddress else { return true }
        let admitted = open.withLock { open in
            guard open[address, default: 0] < perAddress else { return false }
            open[address, default: 0] += 1
            return true
        }
        guard admitted else {
            refusals.record { total in
                "TCP: refusing connections from \(address), which has \(perAddress) open (tcp-connections-per-address); \(total) refused since start; counted in sip_tcp_connections_refused_total"
            }
            return false
        }
        channel.closeFuture.whenComplete { _ in
            self.open.withLock { open in
                let left = open[address, default: 1] - 1
                open[address] = left > 0 ? left : nil
            }
        }
        return true
    }
}
