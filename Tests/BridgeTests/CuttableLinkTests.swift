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

    /// What the call relies on when it never cuts its link: held weakly by the call, the link
    /// goes with the last transaction closure that holds it, and the call with it.
    @Test func anUncutLinkLetsItsTargetGoWithItsLastHolder() {
        weak var observed: Target?
        weak var observedLink: CuttableLink<Target>?
        do {
            let target = Target()
            observed = target
            let link = CuttableLink(target)
            observedLink = link
            let report: () -> Bool = { link.current != nil }
            #expect(report())
        }
        #expect(observedLink == nil)
        #expect(observed == nil)
    }
}
