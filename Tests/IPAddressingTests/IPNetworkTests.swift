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

    @Test func anIPv4NetworkHoldsTheIPv4MappedFormOfItsAddresses() throws {
        let loopback = try #require(IPNetwork("127.0.0.0/8"))
        #expect(loopback.contains(try #require(IPAddress("::ffff:127.0.0.1"))))
        #expect(!loopback.contains(try #require(IPAddress("::ffff:10.0.0.1"))))
        #expect(!loopback.contains(try #require(IPAddress("::1"))))
        #expect(try #require(IPAddress("::ffff:192.0.2.7")).mappedIPv4 == IPAddress("192.0.2.7"))
        #expect(IPAddress("::1")?.mappedIPv4 == nil)
        #expect(IPAddress("192.0.2.7")?.mappedIPv4 == nil)
        // An IPv6 network compares the 16 bytes as they are.
        #expect(try #require(IPNetwork("::ffff:0:0/96")).contains(try #require(IPAddress("::ffff:127.0.0.1"))))
    }

    @Test func rejectsWhatIsNotANetwork() {
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("example.com/8") == nil)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("::ffff:1.2.3.4")?.description == "::ffff:1.2.3.4")
    }
}
