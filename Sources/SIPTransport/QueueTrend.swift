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
    /// How much shorter the wait must have become: more than the jitter of a batch.
    static let margin: Int64 = 2_000_000

    private var reference: (at: Int64, waited: Int64)?
    private var draining = false

    /// Records `waited` (ns) read at `now` (ns, monotonic) and tells whether the queue is
    /// draining. The verdict changes at most once a span; until a first comparison it is no.
    mutating func observe(waited: Int64, at now: Int64) -> Bool {
        guard let reference, now - reference.at <= Self.stale else {
            self.reference = (now, waited)
            draining = false
            return false
        }
        guard now - reference.at >= Self.span else { return draining }
        draining = waited + Self.margin < reference.waited
        self.reference = (now, waited)
        return draining
    }
}
