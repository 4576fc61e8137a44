import NIOPosix
import Vapor

/// The `Date` header's value, written by Vapor's own `Date.rfc1123` as Vapor's server writes it, at most once a
/// second on each event loop's thread.
enum ResponseDate {
    /// Only ever touched by the thread that owns it.
    private final class Latest: @unchecked Sendable {
        var second = Int.min
        var formatted = ""
    }

    private static let latest = ThreadSpecificVariable<Latest>()

    static func current() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970.rounded(.down))
        let latest = Self.latest.currentValue ?? Latest()
        Self.latest.currentValue = latest
        if latest.second != second {
            latest.second = second
            latest.formatted = now.rfc1123
        }
        return latest.formatted
    }
}
