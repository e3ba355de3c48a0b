#if canImport(Glibc)
import Glibc
#endif
import JSONText
import Logging
import Synchronization

/// One JSON object per line on standard error, for log collectors (journald, Loki, ELK):
/// `{"time":"2026-11-22T02:38:34.120Z","level":"info","label":"bridge/external","message":"...","source":"Bridge",...metadata}`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"time\":\"\(Self.timestamp())\",\"level\":\"\(event.level.rawValue)\",\"label\":"
        line += JSONString.quoted(label)
        line += ",\"message\":"
        line += JSONString.quoted(event.message.description)
        line += ",\"source\":"
        line += JSONString.quoted(event.source)
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !["time", "level", "label", "message", "source"].contains(key) {
            line += ","
            line += JSONString.quoted(key)
            line += ":"
            line += JSONString.quoted(value.description)
        }
        write(line + "}\n")
    }

    private static let output = Mutex(())

    public static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array(line.utf8)
        output.withLock { _ in
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + written, $0.count - written) }
                if count <= 0 { break }
                written += count
            }
        }
    }

    /// UTC with milliseconds, without Foundation's formatters (this runs per log line).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        let fraction = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
