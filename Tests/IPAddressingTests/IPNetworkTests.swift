import IPAddressing
import Testing

struct IPNetworkTests {
    @Test func containsByPrefix() throws {
        let loopback = try #require(IPNetwork("127.0.0.0/8"))
        #expect(loopback.contains(IPAddress("127.1.2.3")!))
        #expect(!loopback.contains(IPAddress("128.0.0.1")!))
        #expect(!loopback.contains(IPAddress("::1")!))
        let odd = try #require(IPNetwork("192.168.1.128/25"))
        #expect(odd.contains(IPAddress("192.168.1.200")!))
        #expect(!odd.contains(IPAddress("192.168.1.100")!))
        #expect(IPNetwork("::1")!.contains(IPAddress("[::1]")!))
    }

    @Test func rejectsWhatIsNotANetwork() {
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("example.com/8") == nil)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("::ffff:1.2.3.4")?.description == "::ffff:1.2.3.4")
    }
}
