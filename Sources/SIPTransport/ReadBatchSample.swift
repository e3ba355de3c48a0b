/// The queue sample of the datagrams one read returned: taken at the batch's first INVITE and
/// kept for the rest of it, its drops told once. A read returns the datagrams of one
/// `recvmmsg` (the channel reads once per wake-up), all behind the one kernel stamp.
struct ReadBatchSample {
    private var kept: ReceiveQueueProbe.Sample?

    /// The batch's sample, taken with `take` at its first use.
    mutating func sample(taking take: () -> ReceiveQueueProbe.Sample) -> ReceiveQueueProbe.Sample {
        let sample = kept ?? take()
        kept = sample
        kept?.dropped = 0
        return sample
    }

    /// The read's datagrams are all handled: the next batch samples anew.
    mutating func end() {
        kept = nil
    }
}
