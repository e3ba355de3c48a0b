/// Whether a socket's queue is draining: the wait of the datagrams read now against their wait
/// a little earlier. After a stall (the host gave the CPU to someone else for a moment) the
/// backlog drains by itself, each datagram having waited less than the ones before it; in an
/// overload it grows. A plain value, fed the waits and the times they were read at.
struct QueueTrend: Sendable {
    /// How far apart two waits are compared: far enough that the spread within one batch of
    /// reads (the datagrams of a batch are handled over a fraction of a millisecond) does not
    /// count, close enough to see a change within a few calls.
    static let span: Int64 = 25_000_000
    /// A reference older than this says nothing of now (the INVITEs that are probed were few).
    static let stale: Int64 = 4 * span
    /// The least the wait must have become shorter by: more than the jitter of a batch.
    static let margin: Int64 = 2_000_000

    private var reference: (at: Int64, waited: Int64)?
    private var draining = false

    /// Records `waited` (ns) read at `now` (ns, monotonic) and tells whether the queue is
    /// draining: the wait is shorter, by more than the margin, than the one read a span to four
    /// spans earlier. No wait to compare with, or any wait longer than that earlier one, is a
    /// no. A flat queue misread as draining costs nothing: its answers wait no longer than its
    /// INVITEs, so the longer wait it is allowed still passes within T1 (`OverloadPolicy`).
    mutating func observe(waited: Int64, at now: Int64) -> Bool {
        guard let reference, now - reference.at <= Self.stale else {
            self.reference = (now, waited)
            draining = false
            return false
        }
        if waited > reference.waited { draining = false }
        guard now - reference.at >= Self.span else { return draining }
        draining = reference.waited - waited > Self.margin
        self.reference = (now, waited)
        return draining
    }
}
