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
        var ended = 0
        var sockets = [caller] + gateways
        while ended < numbers.count {
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
                    if response.cseq?.method == "BYE" {
                        ended += 1
                        placeNext()
                        continue
                    }
                    guard let number = Int(callID.dropFirst("bench-".count).prefix { $0 != "@" }) else { continue }
                    let to = response.headers["To"] ?? ""
                    let target = response.headers["Contact"].flatMap { try? NameAddress($0) }?.uri.description ?? serviceURI
                    caller.send(request("ACK", uri: target, cseq: 1, number: number, to: to).serialized(), to: servicePort)
                    caller.send(request("BYE", uri: target, cseq: 2, number: number, to: to).serialized(), to: servicePort)
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

/// A UDP socket on 127.0.0.1 with a port of the kernel's choosing, sending to and receiving
/// from other loopback ports.
final class LoopbackSocket {
    let descriptor: CInt
    let port: Int

    init() throws(LoopbackPeers.Failure) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = Self.address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            if descriptor >= 0 { close(descriptor) }
            throw LoopbackPeers.Failure(description: "cannot bind a loopback UDP socket")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8], to port: Int) {
        var address = Self.address(port: port)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    /// One waiting datagram and the port it came from.
    func receive() -> ([UInt8], Int)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { source in
                buffer.withUnsafeMutableBytes { recvfrom(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT), source, &length) }
            }
        }
        guard count > 0 else { return nil }
        return (Array(buffer[..<count]), Int(UInt16(bigEndian: address.sin_port)))
    }

    private static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
