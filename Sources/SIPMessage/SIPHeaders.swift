import TextTrimming
/// The header fields of a message in order. Names are canonical; look-ups ignore case.
public struct SIPHeaders: Sendable, Hashable, Sequence {
    public struct Field: Sendable, Hashable {
        public let name: String
        let key: String
        /// A parsed message's values are slices of one copy of its header section: a value
        /// becomes a string of its own only when read, and most are only passed on or sent.
        var text: Substring

        public var value: String {
            get { String(text) }
            set { text = Substring(newValue) }
        }

        public init(name: String, value: String) {
            if let key = SIPHeaderName.commonKey(name) ?? SIPHeaderName.keyOfCanonical[name] {
                self.name = name
                self.key = key
            } else {
                self.name = SIPHeaderName.canonical(name)
                self.key = self.name.lowercased()
            }
            text = Substring(value)
        }

        init(name: String, key: String, text: Substring) {
            self.name = name
            self.key = key
            self.text = text
        }

        /// Its value as a string of its own when it is a slice of a received header section
        /// larger than `SIPHeaders.keptSectionLimit`.
        mutating func detach() {
            if holdsLargeSection { text = Substring(String(text)) }
        }

        var holdsLargeSection: Bool {
            text.base.utf8.count > SIPHeaders.keptSectionLimit
                && (text.startIndex != text.base.startIndex || text.endIndex != text.base.endIndex)
        }

        /// Whether the field's lowercase name is `key`. The lengths first: most fields a look-up
        /// passes are another header, and comparing two different strings is =='s slow path.
        func has(key: String) -> Bool {
            self.key.utf8.count == key.utf8.count && self.key == key
        }
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The first field's value.
    public subscript(name: String) -> String? {
        let key = SIPHeaderName.key(name)
        return fields.first { $0.has(key: key) }?.value
    }

    /// Every field's value, in order (a comma list in one field stays one value).
    public func values(_ name: String) -> [String] {
        let key = SIPHeaderName.key(name)
        return fields.filter { $0.has(key: key) }.map(\.value)
    }

    /// Every element of a list header, whether sent as several fields or comma-separated.
    public func elements(_ name: String) -> [String] {
        values(name).flatMap { SIPGrammar.splitList($0) }
    }

    public func contains(_ name: String) -> Bool {
        let key = SIPHeaderName.key(name)
        return fields.contains { $0.has(key: key) }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// The largest received header section a kept message may hold on to through its values:
    /// a usual one (sipp's INVITE has 400 bytes) costs no more than the strings the values would
    /// be copied into, and keeping it costs no allocation.
    static let keptSectionLimit = 1024

    /// Whether a value is a slice of a larger header section than `keptSectionLimit`.
    var holdsLargeSection: Bool { fields.contains(where: \.holdsLargeSection) }

    /// Gives every value sliced from a larger header section than `keptSectionLimit` a string
    /// of its own: a message kept for long (a transaction's skeleton or final response, waiting
    /// out its timers) must not keep a whole section that a sender can make 64 KiB.
    mutating func detach() {
        for index in fields.indices { fields[index].detach() }
    }

    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    mutating func append(_ field: Field) {
        fields.append(field)
    }

    /// Puts a field before all others (a new Via, a Record-Route).
    public mutating func prepend(_ name: String, _ value: String) {
        fields.insert(Field(name: name, value: value), at: 0)
    }

    /// Replaces every field of that name by one field (appended if there was none).
    public mutating func set(_ name: String, _ value: String) {
        let key = SIPHeaderName.key(name)
        if let first = fields.firstIndex(where: { $0.has(key: key) }) {
            fields[first].value = value
            var index = fields.index(after: first)
            while index < fields.endIndex {
                if fields[index].has(key: key) { fields.remove(at: index) } else { index += 1 }
            }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        let key = SIPHeaderName.key(name)
        fields.removeAll { $0.has(key: key) }
    }

    /// Replaces the first element of a list header (the top Via), keeping the rest.
    public mutating func replaceFirstElement(_ name: String, with value: String) {
        let key = SIPHeaderName.key(name)
        guard let index = fields.firstIndex(where: { $0.has(key: key) }) else { return }
        // Most fields hold one element (one Via each): then it is replaced whole, not split and joined.
        if !fields[index].text.containsByte(UInt8(ascii: ",")) {
            if fields[index].text.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 }) { fields[index].value = value }
            return
        }
        var elements = SIPGrammar.splitList(fields[index].value)
        guard !elements.isEmpty else { return }
        elements[0] = value
        fields[index].value = elements.joined(separator: ", ")
    }

    /// Removes the first element of a list header (the top Via), keeping the rest.
    public mutating func removeFirstElement(_ name: String) {
        let key = SIPHeaderName.key(name)
        guard let index = fields.firstIndex(where: { $0.has(key: key) }) else { return }
        var elements = SIPGrammar.splitList(fields[index].value)
        elements.removeFirst()
        if elements.isEmpty {
            fields.remove(at: index)
        } else {
            fields[index].value = elements.joined(separator: ", ")
        }
    }
}
