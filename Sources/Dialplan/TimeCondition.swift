import XMLConfig
import TextTrimming

/// A condition's time attributes (`wday="mon-fri" hour="9-17"`...): all given ones must match.
public struct TimeCondition: Sendable {
    private var checks: [@Sendable (LocalTime) -> Bool] = []

    static let attributes = ["year", "yday", "mon", "mday", "wday", "hour", "minute", "minute-of-day", "time-of-day", "date-time", "week", "mweek"]

    /// nil when the element has no time attribute.
    init?(_ element: XMLElement, into diagnostics: inout [Diagnostic]) {
        let present = Self.attributes.filter { element[attribute: $0] != nil }
        guard !present.isEmpty else { return nil }
        for name in present {
            let value = element[attribute: name]!
            guard let check = Self.check(name, value) else {
                diagnostics.append(.warning("\(name)=\"\(value)\" is not understood; the condition never matches", at: element))
                checks = [{ _ in false }]
                return
            }
            checks.append(check)
        }
    }

    public func matches(_ time: LocalTime) -> Bool {
        checks.allSatisfy { $0(time) }
    }

    private static func check(_ name: String, _ value: String) -> (@Sendable (LocalTime) -> Bool)? {
        let ranges: Ranges?
        let field: @Sendable (LocalTime) -> Int
        switch name {
        case "year": (ranges, field) = (numbers(value), { $0.year })
        case "yday": (ranges, field) = (numbers(value), { $0.yearDay })
        case "mon": (ranges, field) = (numbers(value), { $0.month })
        case "mday": (ranges, field) = (numbers(value), { $0.day })
        case "hour": (ranges, field) = (numbers(value), { $0.hour })
        case "minute": (ranges, field) = (numbers(value), { $0.minute })
        case "minute-of-day": (ranges, field) = (numbers(value), { $0.hour * 60 + $0.minute + 1 })
        case "wday": (ranges, field) = (weekdays(value), { $0.weekday })
        case "time-of-day": (ranges, field) = (timesOfDay(value), { $0.secondOfDay })
        case "date-time": (ranges, field) = (dateTimes(value), { key(of: $0) })
        default: return nil
        }
        guard let ranges else { return nil }
        return { ranges.contains(field($0)) }
    }

    /// "1-5,7": values and inclusive ranges; a range that runs backwards wraps (fri-mon).
    struct Ranges: Sendable {
        var parts: [(Int, Int)]
        var wraps = false

        func contains(_ value: Int) -> Bool {
            parts.contains { low, high in
                low <= high ? (low...high).contains(value) : (wraps && (value >= low || value <= high))
            }
        }
    }

    static func numbers(_ value: String, parse: (Substring) -> Int? = { Int($0.trimmed(" \t")) }) -> Ranges? {
        var parts: [(Int, Int)] = []
        for item in value.split(separator: ",") {
            let bounds = item.split(separator: "-", maxSplits: 1)
            guard let low = bounds.first.flatMap(parse) else { return nil }
            let high = bounds.count == 2 ? parse(bounds[1]) : low
            guard let high else { return nil }
            parts.append((low, high))
        }
        return parts.isEmpty ? nil : Ranges(parts: parts)
    }

    static func weekdays(_ value: String) -> Ranges? {
        let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        var ranges = numbers(value) { text in
            let word = text.trimmed(" \t").lowercased()
            if let number = Int(word), (1...7).contains(number) { return number }
            return names.firstIndex { word.hasPrefix($0) }.map { $0 + 1 }
        }
        ranges?.wraps = true
        return ranges
    }

    static func timesOfDay(_ value: String) -> Ranges? {
        var ranges = numbers(value) { text in
            let fields = text.trimmed(" \t").split(separator: ":").map { Int($0) }
            guard (2...3).contains(fields.count), fields.allSatisfy({ $0 != nil }) else { return nil }
            return fields[0]! * 3600 + fields[1]! * 60 + (fields.count == 3 ? fields[2]! : 0)
        }
        ranges?.wraps = true
        return ranges
    }

    /// "2026-12-24 18:00:00~2026-12-26 08:00" as comparable keys.
    static func dateTimes(_ value: String) -> Ranges? {
        var parts: [(Int, Int)] = []
        for item in value.split(separator: ",") {
            let bounds = item.split(separator: "~", maxSplits: 1)
            guard bounds.count == 2, let low = dateTimeKey(bounds[0]), let high = dateTimeKey(bounds[1]) else { return nil }
            parts.append((low, high))
        }
        return parts.isEmpty ? nil : Ranges(parts: parts)
    }

    private static func dateTimeKey(_ text: Substring) -> Int? {
        let halves = text.trimmed(" \t").split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(halves.count) else { return nil }
        let date = halves[0].split(separator: "-").map { Int($0) }
        guard date.count == 3, date.allSatisfy({ $0 != nil }) else { return nil }
        var seconds = 0
        if halves.count == 2 {
            let clock = halves[1].split(separator: ":").map { Int($0) }
            guard (2...3).contains(clock.count), clock.allSatisfy({ $0 != nil }) else { return nil }
            seconds = clock[0]! * 3600 + clock[1]! * 60 + (clock.count == 3 ? clock[2]! : 0)
        }
        return ((date[0]! * 100 + date[1]!) * 100 + date[2]!) * 100_000 + seconds
    }

    private static func key(of time: LocalTime) -> Int {
        ((time.year * 100 + time.month) * 100 + time.day) * 100_000 + time.secondOfDay
    }
}
