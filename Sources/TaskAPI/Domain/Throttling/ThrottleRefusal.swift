/// A request refused because its username or client address has to wait; answered with 429 and `Retry-After`.
struct ThrottleRefusal: Error, Equatable, Sendable {
    enum Reason: Sendable {
        case loginAttempts, registrations
    }

    let reason: Reason
    /// Whole seconds, rounded up, never 0.
    let retryAfter: Int

    init(_ reason: Reason, retryAfter seconds: Double) {
        self.reason = reason
        // A millisecond's slack: times come back from the database a rounding error off what was written, and a
        // 1 s wait must not be announced as 2.
        self.retryAfter = max(1, Int((seconds - 0.001).rounded(.up)))
    }
}

extension ThrottleRefusal {
    /// What the client is told.
    var detail: String {
        switch reason {
        case .loginAttempts: "Too many login attempts"
        case .registrations: "Too many registrations"
        }
    }
}
