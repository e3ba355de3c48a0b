/// The header fields of a message in order. Names are canonical; look-ups ignore case.
public struct SIPHeaders: Sendable, Hashable, Sequence {
    public struct Field: Sendable, Hashable {
        /// Canonical: look-ups of headers the stack does not read compare it, ignoring ASCII
        /// case, with their key (`SIPHeaderName.lookup`).
        public let name: String
        /// Which of the headers the stack reads this is, found once when the field is made.
        let common: CommonHeader
        /// The value's text: a string of its own, or for a parsed message the one copy of its
        /// header section that every value is a slice of, with the value's UTF-8 offsets in it.
        /// A value becomes a string of its own only when read: most are only passed on or sent,
        /// and making each a `Substring` cost a quarter of reading the section.
        private var storage: String
        private var start: Int32
        private var end: Int32

        public var value: String {
            get {
                if isWholeStorage { return storage }
                return withUTF8 { String(decoding: $0, as: UTF8.self) }
            }
            set {
                storage = newValue
                start = 0
                end = Int32(newValue.utf8.count)
            }
        }

        public init(name: String, value: String) {
            if let common = SIPHeaderName.common(name) {
                self.name = name
                self.common = common
            } else if let key = SIPHeaderName.keyOfCanonical[name] {
                self.name = name
                common = CommonHeader(key: key)
            } else {
                self.name = SIPHeaderName.canonical(name)
                common = CommonHeader(key: self.name.lowercased())
            }
            storage = value
            start = 0
            end = Int32(value.utf8.count)
        }

        /// The value at UTF-8 offsets `range` of `section` (a received header section, at most
        /// `SIPParser.maximumMessageSize` bytes).
        init(name: String, common: CommonHeader, section: String, range: Range<Int>) {
            self.name = name
            self.common = common
            storage = section
            start = Int32(range.lowerBound)
            end = Int32(range.upperBound)
        }

        /// The value's UTF-8 bytes, where they lie. Inlined, so that a field read through a
        /// pointer (the serializer's) is not copied first, its strings retained and released.
        @inline(__always)
        func withUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            let start = Int(start), end = Int(end)
            if let result = storage.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[start..<end]))) }) {
                return result
            }
            var copy = String(decoding: Array(storage.utf8)[start..<end], as: UTF8.self)
            return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }

        var utf8Count: Int { Int(end - start) }

        /// `Name: value` and its line end. Inlined, so that a field read in place is not copied
        /// first (its three strings retained and released) to be written.
        @inline(__always)
        func write(to writer: inout WireWriter) {
            writer.write(name)
            writer.write(literal: ": ")
            withUTF8 { writer.write($0) }
            writer.write(literal: "\r\n")
        }

        /// The value as a decimal number, blanks around it allowed: nil unless it is 1 to 9 digits.
        var decimalValue: Int? {
            withTrimmedBytes { digits in
                guard (1...9).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
                return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            }
        }

        /// Whether the two values are the same once blanks around them are dropped.
        func hasTrimmedValue(of other: Field) -> Bool {
            withTrimmedBytes { mine in other.withTrimmedBytes { theirs in mine.elementsEqual(theirs) } }
        }

        private func withTrimmedBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            withUTF8 { bytes in ByteText.reading(bytes) { text in body(text[text.trimmed(text.all)]) } }
        }

        var isWholeStorage: Bool { start == 0 && Int(end) == storage.utf8.count }

        /// Its value as a string of its own when it is a slice of a received header section
        /// larger than `SIPHeaders.keptSectionLimit`.
        mutating func detach() {
            if holdsLargeSection { value = value }
        }

        var holdsLargeSection: Bool {
            storage.utf8.count > SIPHeaders.keptSectionLimit && !isWholeStorage
        }

        /// Whether the field's lowercase name is `key`. The lengths first: most fields a look-up
        /// passes are another header.
        func has(key: String) -> Bool {
            name.utf8.count == key.utf8.count && SIPGrammar.equalsIgnoringCase(name, key)
        }

        /// Whether this field is of the header a look-up names.
        @inline(__always)
        func isOf(_ header: SIPHeaderName.Lookup) -> Bool {
            switch header {
            case .common(let wanted): common == wanted
            case .other(let key): common == .other && has(key: key)
            }
        }

        /// Same name and the same value, byte for byte.
        public static func == (lhs: Field, rhs: Field) -> Bool {
            lhs.name == rhs.name && lhs.utf8Count == rhs.utf8Count
                && lhs.withUTF8 { left in rhs.withUTF8 { right in left.elementsEqual(right) } }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            withUTF8 { hasher.combine(bytes: $0) }
        }
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The index of the first field of `header` from `start` on. Read through the buffer:
    /// taking a field out of the array to read its header copied it, retaining its strings;
    /// and `isOf` taken apart, so that a look-up by number touches no string.
    private func firstIndex(of header: SIPHeaderName.Lookup, from start: Int = 0) -> Int? {
        fields.withUnsafeBufferPointer { fields in
            switch header {
            case .common(let wanted):
                for index in start..<fields.count where fields[index].common == wanted { return index }
            case .other(let key):
                for index in start..<fields.count where fields[index].common == .other && fields[index].has(key: key) { return index }
            }
            return nil
        }
    }

    /// The first field's value.
    public subscript(name: String) -> String? {
        firstIndex(of: SIPHeaderName.lookup(name)).map { fields[$0].value }
    }

    /// Every field's value, in order (a comma list in one field stays one value).
    public func values(_ name: String) -> [String] {
        let header = SIPHeaderName.lookup(name)
        var values: [String] = []
        var next = firstIndex(of: header)
        while let index = next {
            values.append(fields[index].value)
            next = firstIndex(of: header, from: index + 1)
        }
        return values
    }

    /// Every element of a list header, whether sent as several fields or comma-separated.
    public func elements(_ name: String) -> [String] {
        values(name).flatMap { SIPGrammar.splitList($0) }
    }

    public func contains(_ name: String) -> Bool {
        firstIndex(of: SIPHeaderName.lookup(name)) != nil
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
        let header = SIPHeaderName.lookup(name)
        if let first = firstIndex(of: header) {
            fields[first].value = value
            fields.removeSubrange(first + 1..<fields.count, where: header)
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        fields.removeSubrange(0..<fields.count, where: SIPHeaderName.lookup(name))
    }

    /// Replaces the first element of a list header (the top Via), keeping the rest.
    public mutating func replaceFirstElement(_ name: String, with value: String) {
        guard let index = firstIndex(of: SIPHeaderName.lookup(name)) else { return }
        // Most fields hold one element (one Via each): then it is replaced whole, not split and joined.
        let (hasComma, hasText) = fields[index].withUTF8 { bytes in
            (bytes.contains(UInt8(ascii: ",")), bytes.contains { $0 != 0x20 && $0 != 0x09 })
        }
        if !hasComma {
            if hasText { fields[index].value = value }
            return
        }
        var elements = SIPGrammar.splitList(fields[index].value)
        guard !elements.isEmpty else { return }
        elements[0] = value
        fields[index].value = elements.joined(separator: ", ")
    }

    /// Removes the first element of a list header (the top Via), keeping the rest.
    public mutating func removeFirstElement(_ name: String) {
        guard let index = firstIndex(of: SIPHeaderName.lookup(name)) else { return }
        var elements = SIPGrammar.splitList(fields[index].value)
        elements.removeFirst()
        if elements.isEmpty {
            fields.remove(at: index)
        } else {
            fields[index].value = elements.joined(separator: ", ")
        }
    }
}

private extension [SIPHeaders.Field] {
    /// Removes the fields of `header` within `range` in one pass.
    mutating func removeSubrange(_ range: Range<Int>, where header: SIPHeaderName.Lookup) {
        var kept = range.lowerBound
        for index in range where !self[index].isOf(header) {
            swapAt(kept, index)
            kept += 1
        }
        removeSubrange(kept..<range.upperBound)
    }
}
