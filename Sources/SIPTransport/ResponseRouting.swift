import NIOCore
import SIPMessage
import TextTrimming

/// Where responses go (RFC 3261 §18.2.2 with RFC 3581's `rport`).
enum ResponseRouting {
    /// Adds `received` and fills `rport` on the top Via of a request from `peer`, so that every
    /// response built from it carries them.
    static func stampReceived(_ request: inout SIPRequest, from peer: SIPPeer) {
        guard var via = request.topVia, let sourceIP = peer.ipAddress else { return }
        var changed = false
        if via.host.trimmed("[]") != sourceIP || via.rport != nil {
            via.parameters.set("received", sourceIP)
            changed = true
        }
        if via.rport != nil, let port = peer.port {
            via.parameters.set("rport", String(port))
            changed = true
        }
        guard changed else { return }
        request.replaceTopVia(with: via)
    }

    /// The address a response to `request` goes to: the source when `rport` was asked for
    /// (or the transport is a stream), else the source address at the Via's port.
    static func destination(for request: SIPRequest, from peer: SIPPeer) -> SIPPeer {
        guard peer.transport == .udp, let via = request.topVia, via.rport == nil else { return peer }
        let port = via.port ?? 5060
        // Most peers send from the port their Via names: that is the source address itself.
        guard peer.port != port, let ip = peer.ipAddress,
              let address = try? SocketAddress(ipAddress: ip, port: port) else {
            return peer
        }
        return SIPPeer(transport: peer.transport, address: address)
    }
}
