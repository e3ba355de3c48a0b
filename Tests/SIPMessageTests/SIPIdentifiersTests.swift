import SIPMessage
import Testing

struct SIPIdentifiersTests {
    private let hex = Set("0123456789abcdef")

    @Test func branchesTagsAndCallIDsAreLowercaseHexOfTheirLength() {
        let branch = SIPIdentifiers.branch()
        #expect(branch.hasPrefix("z9hG4bK"))
        #expect(branch.count == 23 && branch.dropFirst(7).allSatisfy(hex.contains))
        #expect(SIPIdentifiers.tag().count == 12 && SIPIdentifiers.tag().allSatisfy(hex.contains))
        #expect(SIPIdentifiers.callID().count == 24 && SIPIdentifiers.callID().allSatisfy(hex.contains))
    }

    @Test func uuidsAreVersion4InLowercase() {
        let uuid = SIPIdentifiers.uuid()
        let groups = uuid.split(separator: "-")
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
        #expect(groups.allSatisfy { $0.allSatisfy(hex.contains) })
        #expect(groups[2].first == "4")
        #expect(["8", "9", "a", "b"].contains(groups[3].first))
    }

    @Test func tenThousandAcrossSeveralPoolRefillsAreAllDifferent() {
        let tags = (0..<10_000).map { _ in SIPIdentifiers.tag() }
        #expect(Set(tags).count == tags.count)
        let uuids = (0..<10_000).map { _ in SIPIdentifiers.uuid() }
        #expect(Set(uuids).count == uuids.count)
        // Every hex digit turns up in every position of the tags: no stuck bits.
        for position in 0..<12 {
            let digits = Set(tags.map { Array($0)[position] })
            #expect(digits.count == 16)
        }
    }
}
