@testable import SIPMessage
import Testing

/// The two places that name the headers the stack reads (`SIPHeaderName.common` for canonical
/// spellings, `CommonHeader(key:)` for keys) and the parser's table must agree, or a look-up
/// would miss a field silently.
struct CommonHeaderTests {
    @Test func everyWayOfNamingAHeaderGivesTheSameCommonHeader() throws {
        var reached: Set<UInt8> = []
        for name in SIPHeaderName.known.values.sorted() + SIPHeaderName.compact.keys.sorted() {
            let canonical = SIPHeaderName.canonical(name)
            let common = CommonHeader(key: canonical.lowercased())
            switch SIPHeaderName.lookup(name) {
            case .common(let found): #expect(found == common, "lookup(\(name))")
            case .other: #expect(common == .other, "lookup(\(name))")
            }
            #expect(SIPHeaders.Field(name: name, value: "x").common == common, "Field(name: \(name))")
            #expect(SIPHeaders.Field(name: name.uppercased(), value: "x").common == common, "Field(name: \(name.uppercased()))")
            let bytes = Array(name.uppercased().utf8)
            let parsed = try #require(ByteText.reading(bytes) { SIPHeaderName.known($0, $0.all) }, "\(name) not known to the parser")
            #expect(parsed.name == canonical && parsed.common == common, "parsed \(name)")
            reached.insert(common.rawValue)
        }
        // Every header the stack reads is a known name.
        #expect(reached == Set(CommonHeader.allCases.map(\.rawValue)))
    }

    @Test func aHeaderSectionIsTakenAsItIsOnlyWhenItIsValidUTF8() {
        func exact(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer(SIPParser.exactText) }
        #expect(exact([]) == "")
        #expect(exact(Array("Subject: caf\u{E9}".utf8)) == "Subject: caf\u{E9}")
        #expect(exact([0x61, 0xE9, 0x62]) == nil)
        // Repaired to a string as long as the bytes: still not the bytes received.
        #expect(exact([0x61, 0xF0, 0x90, 0x80, 0x62]) == nil)
    }
}
