import Foundation

/// Where the service reads the time: session expiry, the refresh grace window and login waits all depend on it,
/// and tests replace it to move time forward without sleeping.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system's clock.
    public static let system = WallClock { Date() }
}
