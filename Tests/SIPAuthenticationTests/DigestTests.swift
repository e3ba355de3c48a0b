import SIPAuthentication
import Testing

struct DigestTests {
    /// RFC 2617 §3.5's example, with its published response.
    @Test func rfc2617Example() throws {
        let challenge = try #require(DigestChallenge("""
            Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"
            """))
        let authorization = challenge.authorization(method: "GET", uri: "/dir/index.html", username: "Mufasa",
                                                    password: "Circle Of Life", nonceCount: 1, clientNonce: "0a4f113b")
        #expect(authorization.contains("response=\"6629fae49393a05397450978507c4ef1\""))
        #expect(authorization.contains("nc=00000001"))
        #expect(authorization.contains("qop=auth"))
        #expect(authorization.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""))
    }

    @Test func withoutQop() throws {
        let challenge = try #require(DigestChallenge("Digest realm=\"asterisk\", nonce=\"1234abcd\""))
        let authorization = challenge.authorization(method: "REGISTER", uri: "sip:127.0.0.1", username: "1000",
                                                    password: "secret", nonceCount: 1, clientNonce: "x")
        #expect(!authorization.contains("qop"))
        #expect(DigestChallenge("Basic realm=\"x\"") == nil)
        #expect(DigestChallenge("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-256") == nil)
    }
}
