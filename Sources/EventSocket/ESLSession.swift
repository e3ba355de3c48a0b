import Foundation
import TextTrimming

/// One event socket client's conversation (behaviour spec §5), as a value type: commands in,
/// what to write and do out. The server runs API commands and event subscriptions for it.
public struct ESLSession: Sendable {
    public enum Format: String, Sendable { case plain, json }

    public struct EventFilter: Sendable, Hashable {
        public var all = false
        public var names: Set<String> = []
        public var subclasses: Set<String> = []

        public func matches(name: String, subclass: String?) -> Bool {
            if all || names.contains(name) { return true }
            if name == "CUSTOM", let subclass { return subclasses.contains(subclass) }
            return false
        }
    }

    public enum Output: Sendable, Hashable {
        case write(String)
        case runAPI(String)
        /// A wrong password: the server counts it against the client's address.
        case authFailed
        case runBackground(jobUUID: String, line: String)
        case subscribe(Format, EventFilter)
        case unsubscribe
        case close
    }

    public let password: String
    public private(set) var authenticated = false
    public private(set) var filter = EventFilter()
    public private(set) var format: Format = .plain

    public init(password: String) {
        self.password = password
    }

    public mutating func handle(_ command: ESLCommandReader.Command) -> [Output] {
        let line = command.line.trimmed(" \t")
        let (verb, rest) = Self.split(line)
        guard authenticated else {
            switch verb.lowercased() {
            case "auth":
                guard rest == password else {
                    return [.authFailed, .write(ESLFraming.commandReply("-ERR invalid")), .close]
                }
                authenticated = true
                return [.write(ESLFraming.commandReply("+OK accepted"))]
            case "exit", "...":
                return [.write(ESLFraming.commandReply("+OK bye")), .write(ESLFraming.disconnectNotice), .close]
            default:
                return [.write(ESLFraming.commandReply("-ERR command not found"))]
            }
        }
        switch verb.lowercased() {
        case "api":
            return [.runAPI(rest)]
        case "bgapi":
            let job = command.headers["job-uuid"] ?? UUID().uuidString.lowercased()
            return [.write(ESLFraming.commandReply("+OK Job-UUID: \(job)", extra: [("Job-UUID", job)])),
                    .runBackground(jobUUID: job, line: rest)]
        case "event", "events":
            var words = rest.split(separator: " ").map(String.init)
            guard let first = words.first else { return [.write(ESLFraming.commandReply("-ERR no keywords supplied"))] }
            var chosen = Format.plain
            if let format = Format(rawValue: first.lowercased()) {
                chosen = format
                words.removeFirst()
            } else if first.lowercased() == "xml" {
                return [.write(ESLFraming.commandReply("-ERR xml events are not supported here; use plain or json"))]
            }
            guard !words.isEmpty else { return [.write(ESLFraming.commandReply("-ERR no keywords supplied"))] }
            var inCustom = false
            for word in words {
                let upper = word.uppercased()
                if upper == "ALL" { filter.all = true }
                else if upper == "CUSTOM" { inCustom = true }
                else if inCustom { filter.subclasses.insert(word) }
                else { filter.names.insert(upper) }
            }
            if inCustom && filter.subclasses.isEmpty { filter.names.insert("CUSTOM") }
            format = chosen
            return [.subscribe(chosen, filter), .write(ESLFraming.commandReply("+OK event listener enabled \(chosen.rawValue)"))]
        case "noevents":
            filter = EventFilter()
            return [.unsubscribe, .write(ESLFraming.commandReply("+OK no longer listening for events"))]
        case "exit", "...":
            return [.write(ESLFraming.commandReply("+OK bye")), .write(ESLFraming.disconnectNotice), .close]
        default:
            return [.write(ESLFraming.commandReply("-ERR command not found"))]
        }
    }

    static func split(_ line: String) -> (String, String) {
        guard let space = line.firstIndex(of: " ") else { return (line, "") }
        return (String(line[..<space]), String(line[line.index(after: space)...]).trimmed(" \t"))
    }
}
