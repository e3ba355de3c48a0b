/// Messages used across the SIP message tests, with CRLF line ends.
enum Samples {
    static func crlf(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences("\n", "\r\n").utf8)
    }

    static let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"

    static let invite = crlf("""
        INVITE sip:1004@127.0.0.1:5080;transport=udp SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1;rport
        Max-Forwards: 70
        From: "Alice \\"A\\"" <sip:1003@127.0.0.1:5060>;tag=a73kszlfl
        To: <sip:1004@127.0.0.1>
        Call-ID: 1-12345@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:1003@127.0.0.1:5060>
        Content-Type: application/sdp
        Content-Length: \(sdp.utf8.count)


        """) + Array(sdp.utf8)

    static let ok = crlf("""
        SIP/2.0 200 OK
        v: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-524287-1;rport=5060;received=127.0.0.1
        f: "Alice" <sip:1003@127.0.0.1:5060>;tag=a73kszlfl
        t: <sip:1004@127.0.0.1>;tag=1410948204
        i: 1-12345@127.0.0.1
        CSeq: 1 INVITE
        m: <sip:1004@127.0.0.1:5091>
        c: application/sdp
        l: \(sdp.utf8.count)


        """) + Array(sdp.utf8)

    static let options = crlf("""
        OPTIONS sip:127.0.0.1:5080 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1
        Max-Forwards: 70
        From: <sip:ping@127.0.0.1>;tag=1
        To: <sip:127.0.0.1:5080>
        Call-ID: opt-1
        CSeq: 1 OPTIONS
        Content-Length: 0


        """)
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
