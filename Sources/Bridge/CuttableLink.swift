import Synchronization

/// A strong reference that its target can cut. The legs' client transactions reach their call
/// through one: an INVITE transaction lives on for 32 s after its 2xx (Timer M, RFC 6026), long
/// after most calls end, and holding the call itself it would keep the call, its legs and their
/// messages in memory all that time. The call holds its link weakly (a strong hold both ways
/// would never be freed) and cuts it once it has ended and every leg had its final response;
/// what a transaction reports after that (a 2xx retransmitted to a call already hung up) is
/// dropped. A link never cut goes with the last transaction that holds it, and the call with it.
final class CuttableLink<Target: AnyObject & Sendable>: Sendable {
    private let target: Mutex<Target?>

    init(_ target: Target) {
        self.target = Mutex(target)
    }

    /// The target, until the link is cut.
    var current: Target? { target.withLock { $0 } }

    func cut() {
        target.withLock { $0 = nil }
    }
}
