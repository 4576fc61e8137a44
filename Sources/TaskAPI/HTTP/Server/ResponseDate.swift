import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Date` header's value, RFC 9110's IMF-fixdate as Vapor's server writes it, formatted at most once a second
/// on each event loop's thread. Written with `gmtime_r`, as Vapor's server does internally: Vapor's public
/// `Date.rfc1123` goes through `DateFormatter`, whose ICU data added 5 MiB to the resident memory
/// (docs/benchmarks.md).
enum ResponseDate {
    /// Only ever touched by the thread that owns it.
    private final class Latest: @unchecked Sendable {
        var second: time_t = -1
        var formatted = ""
    }

    private static let latest = ThreadSpecificVariable<Latest>()
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func current() -> String {
        let now = time(nil)
        let latest = Self.latest.currentValue ?? Latest()
        Self.latest.currentValue = latest
        if latest.second != now {
            latest.second = now
            latest.formatted = format(now)
        }
        return latest.formatted
    }

    static func format(_ seconds: time_t) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
            + "\(parts.tm_year + 1900) \(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):"
            + "\(twoDigits(parts.tm_sec)) GMT"
    }
}
