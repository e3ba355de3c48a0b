extension Dictionary {
    /// A dictionary keeps the storage of its largest size; after a burst of calls that is
    /// megabytes of empty slots. Once it is an eighth full, copy it into storage its size.
    public mutating func shrinkIfSparse() {
        guard capacity > 256, count * 8 < capacity else { return }
        self = Dictionary(uniqueKeysWithValues: Array(self))
    }
}
