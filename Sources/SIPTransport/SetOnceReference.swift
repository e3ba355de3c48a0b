import Synchronization

/// A reference stored once and then read without a lock. Synchronization's
/// `AtomicLazyReference` does the same, but each of its reads looked up generic metadata at run
/// time (as costly as the rest of a response's counting); this one is specialised in the module.
struct SetOnceReference<Instance: AnyObject & Sendable>: ~Copyable, Sendable {
    private let bits = Atomic<UInt>(0)

    init() {}

    func load() -> Instance? {
        let bits = bits.load(ordering: .acquiring)
        guard let pointer = UnsafeRawPointer(bitPattern: bits) else { return nil }
        return Unmanaged<Instance>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Stores `desired` unless a reference is already there, and returns the one that stays.
    func storeIfNil(_ desired: Instance) -> Instance {
        let retained = Unmanaged.passRetained(desired)
        let (exchanged, original) = bits.compareExchange(expected: 0, desired: UInt(bitPattern: retained.toOpaque()),
                                                         ordering: .acquiringAndReleasing)
        guard !exchanged, let pointer = UnsafeRawPointer(bitPattern: original) else { return desired }
        retained.release()
        return Unmanaged<Instance>.fromOpaque(pointer).takeUnretainedValue()
    }

    deinit {
        if let pointer = UnsafeRawPointer(bitPattern: bits.load(ordering: .acquiring)) {
            Unmanaged<Instance>.fromOpaque(pointer).release()
        }
    }
}
