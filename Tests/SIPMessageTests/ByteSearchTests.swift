import Testing
import TextTrimming

struct ByteSearchTests {
    @Test func bytesAreFoundAnywhereAndOnlyWhole() {
        #expect("gw+carrier".containsBytes(of: "gw+"))
        #expect("00gw+carrier".containsBytes(of: "gw+"))
        #expect("carrier-gw+".containsBytes(of: "gw+"))
        #expect(!"gw-carrier".containsBytes(of: "gw+"))
        #expect(!"gw".containsBytes(of: "gw+"))
        #expect(!"".containsBytes(of: "gw+"))
        #expect("anything".containsBytes(of: ""))
        #expect("numéro+gw+1".containsBytes(of: "gw+1"))
    }

    @Test func aByteIsFoundAnywhere() {
        #expect("a=b".containsByte(UInt8(ascii: "=")))
        #expect(!"ab".containsByte(UInt8(ascii: "=")))
    }
}
