#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The broken-down local time a dialplan's time conditions test.
public struct LocalTime: Hashable, Sendable {
    public var year: Int
    /// 1-12
    public var month: Int
    /// 1-31
    public var day: Int
    /// 1-7, Sunday is 1 (FreeSWITCH's `wday`)
    public var weekday: Int
    /// 1-366
    public var yearDay: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, weekday: Int, yearDay: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.weekday = weekday
        self.yearDay = yearDay
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The machine's local time now.
    public static func now() -> LocalTime {
        var seconds = time(nil)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return LocalTime(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                         weekday: Int(parts.tm_wday) + 1, yearDay: Int(parts.tm_yday) + 1,
                         hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
    }

    var secondOfDay: Int { hour * 3600 + minute * 60 + second }
}
