/// Header names: the canonical spelling used when serializing, compact forms expanded
/// (RFC 3261 §7.3.3, plus the compact forms registered since), matched ignoring case.
public enum SIPHeaderName {
    /// The canonical name for a name as received: `v` -> `Via`, `call-id` -> `Call-ID`; an
    /// unknown name is kept as it came.
    public static func canonical(_ name: String) -> String {
        let key = name.lowercased()
        if key.count == 1, let long = compact[key] { return long }
        return known[key] ?? name
    }

    /// What a look-up by name finds its fields by: one of the headers the stack reads, by its
    /// number; any other header, by its lowercase key.
    enum Lookup {
        case common(CommonHeader)
        /// Lowercased in ASCII only, as fields compare their names with it: header names are tokens.
        case other(key: String)
    }

    static func lookup(_ name: String) -> Lookup {
        if let common = common(name) { return .common(common) }
        let key = keyOfCanonical[name] ?? String(decoding: canonical(name).utf8.map(ByteText.lower), as: UTF8.self)
        let common = CommonHeader(key: key)
        return common == .other ? .other(key: key) : .common(common)
    }

    /// The header the stack reads that a name in its canonical spelling is, found before any
    /// hashing: by length, then one comparison (a test holds it to `CommonHeader(key:)`).
    static func common(_ name: String) -> CommonHeader? {
        switch name.utf8.count {
        case 2 where name == "To": .to
        case 3 where name == "Via": .via
        case 4 where name == "CSeq": .cseq
        case 4 where name == "From": .from
        case 5 where name == "Route": .route
        case 5 where name == "Allow": .allow
        case 6 where name == "Reason": .reason
        case 7 where name == "Call-ID": .callID
        case 7 where name == "Contact": .contact
        case 7 where name == "Expires": .expires
        case 7 where name == "Require": .require
        case 9 where name == "Supported": .supported
        case 9 where name == "Timestamp": .timestamp
        case 10 where name == "User-Agent": .userAgent
        case 12 where name == "Content-Type": .contentType
        case 12 where name == "Max-Forwards": .maxForwards
        case 12 where name == "Record-Route": .recordRoute
        case 14 where name == "Content-Length": .contentLength
        default: nil
        }
    }

    /// Known names already in canonical spelling, to their key: the common case, with no
    /// lowercasing at all.
    static let keyOfCanonical: [String: String] = {
        Dictionary(uniqueKeysWithValues: known.values.map { ($0, $0.lowercased()) })
    }()

    /// The canonical name and header of a known or compact name as received, found from its
    /// bytes without making a string: the parser names every header field this way.
    static func known(_ bytes: ByteText, _ range: Range<Int>) -> (name: String, common: CommonHeader)? {
        guard !range.isEmpty, range.count < KnownTable.maximumLength else { return nil }
        return KnownTable.shared.match(bytes, range)
    }

    /// Known and compact names grouped by length and first letter, each candidate's lowercase
    /// spelling in words of 8 bytes: a name is read into words once and compared a word at a
    /// time (most names meet one candidate), and no string is touched until a name matches.
    /// A class: its one shared instance is read in place, where a struct's arrays were
    /// copied out of the global (retained and released) for every header name matched.
    private final class KnownTable: Sendable {
        struct Candidate {
            /// Where its words (and their masks) start in `words` and `masks`.
            let start: Int
            let entry: Int
        }

        static let shared = KnownTable()
        static let maximumLength = 32

        /// By `bucket(length:first:)`.
        let buckets: [[Candidate]]
        /// Each candidate's lowercase bytes, zero-padded to whole words.
        let words: [UInt64]
        /// 0x20 in each byte where the candidate has a letter: a received byte ORed with it is
        /// that letter for its either case, and no other byte becomes a letter that way.
        let masks: [UInt64]
        let entries: [(name: String, common: CommonHeader)]

        private static func bucket(length: Int, first: UInt8) -> Int {
            length << 5 | Int(ByteText.lower(first) & 31)
        }

        /// `bytes` (fewer than `maximumLength`) as words of 8 bytes, zero-padded.
        private static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> InlineArray<4, UInt64> {
            var words = InlineArray<4, UInt64>(repeating: 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            return words
        }

        init() {
            var buckets = [[Candidate]](repeating: [], count: Self.maximumLength << 5)
            var words: [UInt64] = []
            var masks: [UInt64] = []
            var entries: [(name: String, common: CommonHeader)] = []
            func add(_ spelling: String, name: String, key: String) {
                let bytes = Array(spelling.utf8)
                precondition(bytes.count < Self.maximumLength, "a known header name longer than the table's words")
                buckets[Self.bucket(length: bytes.count, first: bytes[0])].append(Candidate(start: words.count, entry: entries.count))
                let letters = bytes.map { (0x61...0x7A).contains($0) ? UInt8(0x20) : 0 }
                let spelled = bytes.withUnsafeBufferPointer(Self.words)
                let mask = letters.withUnsafeBufferPointer(Self.words)
                for index in 0..<((bytes.count + 7) / 8) {
                    words.append(spelled[index])
                    masks.append(mask[index])
                }
                entries.append((name, CommonHeader(key: key)))
            }
            for (key, name) in SIPHeaderName.known { add(key, name: name, key: key) }
            for (letter, name) in SIPHeaderName.compact { add(letter, name: name, key: name.lowercased()) }
            self.buckets = buckets
            self.words = words
            self.masks = masks
            self.entries = entries
        }

        func match(_ text: ByteText, _ range: Range<Int>) -> (name: String, common: CommonHeader)? {
            let received = Self.words(text[range])
            let wordCount = (range.count + 7) / 8
            let found: Int? = words.withUnsafeBufferPointer { words in
                masks.withUnsafeBufferPointer { masks in
                    buckets[Self.bucket(length: range.count, first: text[range.lowerBound])].withUnsafeBufferPointer { candidates in
                        candidates: for candidate in candidates {
                            for index in 0..<wordCount where received[index] | masks[candidate.start + index] != words[candidate.start + index] {
                                continue candidates
                            }
                            return candidate.entry
                        }
                        return nil
                    }
                }
            }
            return found.map { entries[$0] }
        }
    }

    static let compact: [String: String] = [
        "i": "Call-ID", "m": "Contact", "e": "Content-Encoding", "l": "Content-Length",
        "c": "Content-Type", "f": "From", "s": "Subject", "k": "Supported", "t": "To", "v": "Via",
        "o": "Event", "r": "Refer-To", "b": "Referred-By", "u": "Allow-Events", "x": "Session-Expires",
        "a": "Accept-Contact", "j": "Reject-Contact", "d": "Request-Disposition", "y": "Identity",
        "n": "Identity-Info",
    ]

    static let known: [String: String] = {
        let names = [
            "Accept", "Accept-Contact", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
            "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact", "Content-Disposition",
            "Content-Encoding", "Content-Language", "Content-Length", "Content-Type", "CSeq", "Date", "Error-Info",
            "Event", "Expires", "From", "Identity", "Identity-Info", "In-Reply-To", "Max-Forwards", "Min-Expires",
            "Min-SE", "MIME-Version", "Organization", "P-Asserted-Identity", "P-Preferred-Identity", "Priority",
            "Privacy", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "RAck", "Reason", "Record-Route",
            "Refer-To", "Referred-By", "Reject-Contact", "Remote-Party-ID", "Reply-To", "Request-Disposition", "Require",
            "Retry-After", "Route", "RSeq", "Server", "Session-Expires", "SIP-ETag", "SIP-If-Match", "Subject",
            "Subscription-State", "Supported", "Timestamp", "To", "Unsupported", "User-Agent", "Via", "Warning",
            "WWW-Authenticate",
        ]
        return Dictionary(uniqueKeysWithValues: names.map { ($0.lowercased(), $0) })
    }()

    /// Headers whose value is a comma-separated list that may be split into several fields
    /// (RFC 3261 §7.3.1). The authentication headers contain commas but are single values.
    public static func allowsCommaList(_ key: String) -> Bool {
        listKeys.contains(key)
    }

    static let listKeys: Set<String> = [
        "via", "route", "record-route", "contact", "allow", "supported", "require", "proxy-require",
        "unsupported", "accept", "accept-encoding", "accept-language", "allow-events", "content-encoding",
        "content-language", "in-reply-to", "warning", "error-info", "alert-info", "call-info", "reason",
    ]
}
