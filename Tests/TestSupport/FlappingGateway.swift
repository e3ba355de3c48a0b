import Foundation
import Synchronization

/// A hand-played UDP gateway whose health the test switches: while `up`, OPTIONS and INVITE
/// get 200; while down, both get 503. It answers BYE with 200, ignores ACK, and counts the
/// INVITEs it is sent. Replies go to `replyPort` on 127.0.0.1 (the service's SIP port).
public final class FlappingGateway: @unchecked Sendable {
    public let port: Int
    private let socket: UDPSocket
    private let replyPort: Int
    private final class Shared: Sendable {
        let state = Mutex((up: true, stopped: false, invites: 0, refused: 0))
    }

    private let shared = Shared()
    private let thread: Thread

    public init(replyPort: Int) throws {
        let socket = try UDPSocket()
        self.socket = socket
        self.port = socket.port
        self.replyPort = replyPort
        let shared = self.shared
        thread = Thread {
            while !shared.state.withLock({ $0.stopped }) {
                guard let datagram = socket.receive(within: 0.1) else { continue }
                let text = String(decoding: datagram, as: UTF8.self)
                guard let method = text.split(separator: " ", maxSplits: 1).first.map(String.init), method != "SIP/2.0", method != "ACK" else { continue }
                let up = shared.state.withLock { current -> Bool in
                    if method == "INVITE" {
                        current.invites += 1
                        if !current.up { current.refused += 1 }
                    }
                    return current.up
                }
                let status = method == "BYE" || up ? 200 : 503
                socket.send(Array(Self.response(to: text, status: status, withSDP: method == "INVITE" && status == 200).utf8), to: replyPort)
            }
        }
        thread.start()
    }

    public var up: Bool {
        get { shared.state.withLock { $0.up } }
        set { shared.state.withLock { $0.up = newValue } }
    }

    /// INVITEs received, and how many of them came while it was down.
    public var invites: (all: Int, whileDown: Int) { shared.state.withLock { ($0.invites, $0.refused) } }

    public func stop() {
        shared.state.withLock { $0.stopped = true }
    }

    deinit { stop() }

    static func response(to request: String, status: Int, withSDP: Bool) -> String {
        let lines = request.components(separatedBy: "\r\n")
        func copied(_ names: [String]) -> [String] {
            lines.filter { line in names.contains { line.lowercased().hasPrefix($0.lowercased() + ":") } }
        }
        var headers = copied(["Via", "From", "Call-ID", "CSeq"])
        headers += copied(["To"]).map { $0.contains(";tag=") ? $0 : $0 + ";tag=flap\(abs(request.hashValue % 100_000))" }
        headers.append("Contact: <sip:gateway@127.0.0.1>")
        let sdp = withSDP ? "v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n" : ""
        if withSDP { headers.append("Content-Type: application/sdp") }
        headers.append("Content-Length: \(sdp.utf8.count)")
        let reason = status == 200 ? "OK" : "Service Unavailable"
        return "SIP/2.0 \(status) \(reason)\r\n" + headers.joined(separator: "\r\n") + "\r\n\r\n" + sdp
    }
}
