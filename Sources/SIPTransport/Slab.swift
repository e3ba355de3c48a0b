/// Values side by side in one array, found by key through a dictionary of positions: growing
/// the dictionary, or closing the gap a deletion leaves in it, moves 8-byte positions rather
/// than the values (several hundred bytes for a transaction with its request). A freed place
/// is reused; after a burst, once the live values fill less than an eighth of the array, they
/// are moved into an array their size, so that the burst's memory goes back.
struct Slab<Key: Hashable, Value> {
    private var positions: [Key: Int] = [:]
    private var values: [Value?] = []
    private var free: [Int] = []

    /// Below this many places the array is never compacted.
    static var compactionFloor: Int { 256 }

    var count: Int { positions.count }

    /// How many places the array holds, live or free.
    var capacity: Int { values.count }

    func contains(_ key: Key) -> Bool { positions[key] != nil }

    /// The position of `key`'s value, made with `make` when there is none (one look-up).
    mutating func position(of key: Key, orMake make: () -> Value) -> Int {
        func place() -> Int {
            if let position = free.popLast() {
                values[position] = make()
                return position
            }
            values.append(make())
            return values.count - 1
        }
        // Through the subscript's modify access, which inserts the new position in the same look-up.
        func take(_ position: inout Int) -> Int { position }
        return take(&positions[key, default: place()])
    }

    /// Where `key` is found: its value can be read, changed and removed through this without
    /// a second look-up, until the slab next gains or loses a key.
    func index(of key: Key) -> Dictionary<Key, Int>.Index? { positions.index(forKey: key) }

    subscript(position: Int) -> Value {
        get { values[position]! }
        _modify { yield &values[position]! }
    }

    subscript(at index: Dictionary<Key, Int>.Index) -> Value {
        get { values[positions.values[index]]! }
        _modify { yield &values[positions.values[index]]! }
    }

    mutating func remove(_ key: Key) {
        guard let index = positions.index(forKey: key) else { return }
        remove(at: index)
    }

    mutating func remove(at index: Dictionary<Key, Int>.Index) {
        let position = positions.remove(at: index).value
        values[position] = nil
        free.append(position)
        positions.shrinkIfSparse()
        if values.count > Self.compactionFloor, positions.count * 8 < values.count {
            var packed: [Value?] = []
            packed.reserveCapacity(positions.count)
            for (key, old) in positions {
                positions[key] = packed.count
                packed.append(values[old])
            }
            values = packed
            free = []
        }
    }
}

extension Slab: Sendable where Key: Sendable, Value: Sendable {}
