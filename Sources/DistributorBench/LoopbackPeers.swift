#if canImport(Glibc)
import Glibc
#endif
import SIPMessage

/// The far ends of the call-path benchmark, in the benchmark's own thread on plain blocking
/// sockets: a caller that places one call at a time (INVITE with SDP, ACK, BYE, as sipp's
/// bench scenario does without its pause) and gateways that answer 100, 180 and 200 with SDP,
/// take the ACK, answer the BYE and any OPTIONS ping. They never retransmit, so a lost message
/// ends the run with an error instead of hiding in a timer.
final class LoopbackPeers {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let caller: LoopbackSocket
    private let gateways: [LoopbackSocket]

    var gatewayPorts: [Int] { gateways.map(\.port) }

    init(gatewayCount: Int) throws(Failure) {
        caller = try LoopbackSocket()
        var gateways: [LoopbackSocket] = []
        for _ in 0..<gatewayCount { gateways.append(try LoopbackSocket()) }
        self.gateways = gateways
    }

    /// Places calls `numbers` to `destination` at the service on `servicePort`, `inFlight` at a
    /// time (each ended call starting the next), and returns when every BYE is answered.
    func call(_ numbers: Range<Int>, inFlight: Int, destination: String, servicePort: Int) throws(Failure) {
        let local = "127.0.0.1:\(caller.port)"
        let serviceURI = "sip:\(destination)@127.0.0.1:\(servicePort)"
        func request(_ method: String, uri: String, cseq: Int, number: Int, to: String, body: [UInt8] = []) -> SIPRequest {
            var headers = SIPHeaders([
                ("Via", "SIP/2.0/UDP \(local);branch=z9hG4bK-bench-\(number)-\(cseq)-\(method);rport"),
                ("Max-Forwards", "70"), ("From", "\"bench\" <sip:1003@\(local)>;tag=c\(number)"), ("To", to),
                ("Call-ID", "bench-\(number)@127.0.0.1"), ("CSeq", "\(cseq) \(method)"), ("Contact", "<sip:1003@\(local)>"),
            ])
            if !body.isEmpty { headers.add("Content-Type", "application/sdp") }
            return SIPRequest(method: method, uri: (try? SIPURI(uri)) ?? SIPURI(host: "127.0.0.1"), headers: headers, body: body)
        }
        var next = numbers.lowerBound
        func placeNext() {
            guard next < numbers.upperBound else { return }
            caller.send(request("INVITE", uri: serviceURI, cseq: 1, number: next, to: "<\(serviceURI)>", body: Self.sdp).serialized(), to: servicePort)
            next += 1
        }
        for _ in 0..<min(inFlight, numbers.count) { placeNext() }
        // The service repeats a 200 until it has the ACK: a repeat is acknowledged again, and
        // neither starts a second BYE nor ends a call twice.
        var acknowledged: Set<Int> = []
        var ended: Set<Int> = []
        var sockets = [caller] + gateways
        while ended.count < numbers.count {
            for index in try Self.readable(&sockets) {
                while let (bytes, sender) = sockets[index].receive() {
                    guard case .message(let message) = SIPParser.parse(bytes) else { throw Failure(description: "an unreadable message") }
                    if index > 0 {
                        answer(message, on: sockets[index], to: sender)
                        continue
                    }
                    guard case .response(let response) = message, response.status >= 200 else { continue }
                    let callID = response.callID ?? ""
                    guard response.status == 200 else { throw Failure(description: "\(callID): answered \(response.status)") }
                    guard let number = Int(callID.dropFirst("bench-".count).prefix { $0 != "@" }) else { continue }
                    if response.cseq?.method == "BYE" {
                        if ended.insert(number).inserted { placeNext() }
                        continue
                    }
                    let to = response.headers["To"] ?? ""
                    let target = response.headers["Contact"].flatMap { try? NameAddress($0) }?.uri.description ?? serviceURI
                    caller.send(request("ACK", uri: target, cseq: 1, number: number, to: to).serialized(), to: servicePort)
                    if acknowledged.insert(number).inserted {
                        caller.send(request("BYE", uri: target, cseq: 2, number: number, to: to).serialized(), to: servicePort)
                    }
                }
            }
        }
    }

    /// A gateway's part: 100, 180 and 200 to an INVITE, 200 to a BYE or an OPTIONS, nothing to an ACK.
    private func answer(_ message: SIPMessage, on socket: LoopbackSocket, to sender: Int) {
        guard case .request(let request) = message, request.method != "ACK" else { return }
        let contact = "<sip:1004@127.0.0.1:\(socket.port)>"
        if request.method == "INVITE" {
            socket.send(request.response(status: 100).serialized(), to: sender)
            var ringing = request.response(status: 180, toTag: "g\(socket.port)")
            ringing.headers.add("Contact", contact)
            socket.send(ringing.serialized(), to: sender)
        }
        var ok = request.response(status: 200, toTag: "g\(socket.port)")
        ok.headers.add("Contact", contact)
        if request.method == "INVITE" {
            ok.headers.add("Content-Type", "application/sdp")
            ok.body = Self.sdp
        }
        socket.send(ok.serialized(), to: sender)
    }

    /// The indices of the sockets with a datagram waiting; a second without one is a failure.
    private static func readable(_ sockets: inout [LoopbackSocket]) throws(Failure) -> [Int] {
        var polled = sockets.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        guard poll(&polled, nfds_t(polled.count), 1000) > 0 else { throw Failure(description: "no message for 1 s") }
        return polled.indices.filter { polled[$0].revents & Int16(POLLIN) != 0 }
    }

    static let sdp = Array("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n".utf8)
}
