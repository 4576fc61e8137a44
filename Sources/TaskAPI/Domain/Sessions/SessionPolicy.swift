import Foundation

/// How long sessions last and what a presented refresh token is worth.
struct SessionPolicy: Sendable {
    /// How long a refresh token, and so an idle session, lasts. Each refresh starts a new one.
    let refreshLifetime: Duration

    /// A spent token presented again within this window is a client's retry or two tabs racing, refused without
    /// harm; later, it is a stolen token being replayed (Supabase's reuse interval).
    static let reuseGraceWindow: TimeInterval = 10

    enum Verdict: Equatable {
        /// The token is live: spend it and issue the next one.
        case rotate
        /// A spent token within the grace window: refuse, keep the session.
        case refuse
        /// A spent token after the grace window: end the whole session.
        case revokeSession
    }

    static func verdict(spentAt: Date?, now: Date) -> Verdict {
        guard let spentAt else { return .rotate }
        return now.timeIntervalSince(spentAt) > reuseGraceWindow ? .revokeSession : .refuse
    }

    func expiry(from now: Date) -> Date {
        now.addingTimeInterval(TimeInterval(refreshLifetime.components.seconds))
    }
}
