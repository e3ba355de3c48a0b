#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A FreeSWITCH-style event: a name (CUSTOM events add a subclass), ordered headers, a body.
public struct Event: Sendable, Hashable {
    public let name: String
    public let subclass: String?
    public var headers: [(String, String)] {
        get { pairs.map { ($0.name, $0.value) } }
        set { pairs = newValue.map { Header(name: $0.0, value: $0.1) } }
    }
    public var body: String?

    struct Header: Sendable, Hashable {
        let name: String
        let value: String
    }

    private var pairs: [Header]

    public init(name: String, subclass: String? = nil, headers: [(String, String)] = [], body: String? = nil) {
        self.name = name
        self.subclass = subclass
        pairs = headers.map { Header(name: $0.0, value: $0.1) }
        self.body = body
    }

    public func header(_ name: String) -> String? {
        pairs.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Publishes events to whoever listens (event socket clients); never blocks a publisher.
public final class EventBus: Sendable {
    public typealias Listener = @Sendable (Event) -> Void
    private let listeners = Mutex<[UUID: Listener]>([:])
    private let sequence = Atomic<Int>(0)
    public let coreUUID = UUID().uuidString.lowercased()
    public let hostname = ProcessInfo.processInfo.hostName

    public init() {}

    @discardableResult
    public func subscribe(_ listener: @escaping Listener) -> UUID {
        let id = UUID()
        listeners.withLock { $0[id] = listener }
        return id
    }

    public func unsubscribe(_ id: UUID) {
        listeners.withLock { $0[id] = nil }
    }

    /// Publishers skip building events nobody listens to.
    public var hasListeners: Bool {
        listeners.withLock { !$0.isEmpty }
    }

    /// Adds FreeSWITCH's standard headers and hands the event to every listener.
    public func publish(_ event: Event) {
        let listeners = self.listeners.withLock { Array($0.values) }
        guard !listeners.isEmpty else { return }
        var stamped = event
        let now = Date()
        let number = sequence.add(1, ordering: .relaxed).newValue
        var headers: [(String, String)] = [("Event-Name", event.name)]
        if let subclass = event.subclass { headers.append(("Event-Subclass", subclass)) }
        headers += [
            ("Core-UUID", coreUUID), ("FreeSWITCH-Hostname", hostname),
            ("Event-Date-Local", Self.localDate(now)),
            ("Event-Date-Timestamp", String(Int64(now.timeIntervalSince1970 * 1_000_000))),
            ("Event-Sequence", String(number)),
        ]
        stamped.headers = headers + event.headers
        for listener in listeners { listener(stamped) }
    }

    /// `2026-11-21 23:59:59` in local time.
    static func localDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}

import Synchronization
