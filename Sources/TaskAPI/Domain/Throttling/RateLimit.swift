/// At most `count` events per `window` seconds, written `count/window` (for example `50/300`).
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var window: Int

    public init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    /// Parses `count/window`, both positive whole numbers.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), let window = Int(parts[1]), count > 0, window > 0,
            window <= 86_400 * 365
        else { return nil }
        self.init(count: count, window: window)
    }

    public var description: String { "\(count)/\(window)" }
}
