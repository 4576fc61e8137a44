/// Keycloak-style brute-force protection for one username: after `threshold` consecutive failures the name must
/// wait 1 s, and each further failure doubles the wait, up to `maximumWait`.
public struct LoginLockout: Sendable, Equatable {
    public var threshold: Int
    /// The longest wait, in seconds.
    public var maximumWait: Int

    /// Failures older than this no longer count: a forgotten password months ago does not lock today's login
    /// (Keycloak's failure reset time, 12 hours by default).
    static let failureMemory: Double = 12 * 3600

    public init(threshold: Int = 5, maximumWait: Int = 900) {
        self.threshold = threshold
        self.maximumWait = maximumWait
    }

    /// Seconds to wait after `failures` consecutive failures, or nil when the name may try again at once.
    func wait(afterFailures failures: Int) -> Int? {
        guard failures >= threshold else { return nil }
        let doublings = min(failures - threshold, 30)
        return min(1 << doublings, maximumWait)
    }
}
