@testable import Bridge
import Testing

struct CuttableLinkTests {
    private final class Target: Sendable {}

    @Test func holdsItsTargetUntilCut() {
        weak var observed: Target?
        let link: CuttableLink<Target>
        do {
            let target = Target()
            observed = target
            link = CuttableLink(target)
        }
        #expect(observed != nil)
        #expect(link.current === observed)
        link.cut()
        #expect(link.current == nil)
        #expect(observed == nil)
        link.cut()
        #expect(link.current == nil)
    }
}
