import Fluent
import Foundation

/// Starts, refreshes and ends sessions. A session is a row; its access tokens name it (`sid`) and die with it,
/// because every request checks the row (`CallerLookup`).
struct SessionService: Sendable {
    /// What a login or a refresh hands the client.
    struct IssuedTokens: Sendable {
        let accessToken: String
        let expiresIn: Int64
        let refreshToken: String
        let refreshExpiresIn: Int64
    }

    enum RefreshOutcome: Sendable {
        case issued(IssuedTokens)
        /// Unknown, expired, revoked, or spent within the grace window: 401, nothing else changes.
        case refused
        /// A spent token replayed after the grace window: the session has been revoked.
        case reuseDetected

        var isReuse: Bool {
            if case .reuseDetected = self { true } else { false }
        }
    }

    let policy: SessionPolicy
    let tokens: AccessTokens
    let database: @Sendable () throws -> any Database
    let clock: WallClock
    /// How long a write may take once it has its connection (`DATABASE_TIMEOUT`).
    let writeDeadline: Duration

    /// The longest `User-Agent` kept per session; the rest is cut, so a client cannot grow the table at will.
    static let userAgentLimit = 512

    /// Starts a session for a user who has just proved their password.
    func start(userID: Int, userAgent: String?, clientAddress: String?) async throws -> IssuedTokens {
        let now = clock.now()
        let session = UserSessionRecord(
            userID: userID, now: now, expiresAt: policy.expiry(from: now),
            userAgent: userAgent.map(Self.storable), clientAddress: clientAddress)
        let sessionID = try session.requireID()
        let refresh = try await database().durably(within: writeDeadline) { database in
            try await session.create(on: database)
            return try await Self.storeRefreshToken(for: sessionID, issuedAt: now, on: database)
        }
        return try await issue(.init(userID: userID, sessionID: sessionID), refresh: refresh, now: now)
    }

    /// Spends a refresh token for the next one (rotation), refusing or revoking as `SessionPolicy` says.
    func refresh(secret: String) async throws -> RefreshOutcome {
        let now = clock.now()
        let database = try database()
        guard
            let token = try await RefreshTokenRecord.query(on: database)
                .filter(\.$id == RefreshToken.digest(of: secret)).with(\.$session).first()
        else { return .refused }
        let session = token.session
        guard session.revokedAt == nil, session.expiresAt > now, let sessionID = session.id else { return .refused }
        switch SessionPolicy.verdict(spentAt: token.spentAt, now: now) {
        case .refuse:
            return .refused
        case .revokeSession:
            let revoked = try await database.durably(within: writeDeadline) { database in
                try await UserSessionRecord.revoke(id: sessionID, at: now, on: database)
            }
            ServiceMetrics.sessionsRevoked(revoked, .reuse)
            return .reuseDetected
        case .rotate:
            let digest = try token.requireID()
            let expiry = policy.expiry(from: now)
            let refresh = try await database.durably(within: writeDeadline) { database -> RefreshToken? in
                // Of concurrent refreshes with one token, only the one that spends it goes on.
                guard try await RefreshTokenRecord.spend(digest: digest, at: now, on: database) else { return nil }
                session.lastUsedAt = now
                session.expiresAt = expiry
                try await session.update(on: database)
                return try await Self.storeRefreshToken(for: sessionID, issuedAt: now, on: database)
            }
            guard let refresh else { return .refused }
            let subject = AccessTokens.Subject(userID: session.$user.id, sessionID: sessionID)
            return .issued(try await issue(subject, refresh: refresh, now: now))
        }
    }

    /// Ends one live session of the user; false when there is none with that id.
    func end(_ sessionID: UUID, of userID: Int, reason: ServiceMetrics.RevocationReason) async throws -> Bool {
        let now = clock.now()
        let revoked = try await database().durably(within: writeDeadline) { database in
            try await UserSessionRecord.revoke(id: sessionID, userID: userID, at: now, on: database)
        }
        ServiceMetrics.sessionsRevoked(revoked, reason)
        return revoked > 0
    }

    /// Ends every live session of the user, except `kept` when given.
    func endAll(of userID: Int, except kept: UUID? = nil, reason: ServiceMetrics.RevocationReason) async throws {
        let now = clock.now()
        let revoked = try await database().durably(within: writeDeadline) { database in
            try await UserSessionRecord.revoke(userID: userID, except: kept, at: now, on: database)
        }
        ServiceMetrics.sessionsRevoked(revoked, reason)
    }

    /// The user's live sessions, newest first.
    func live(of userID: Int) async throws -> [UserSessionRecord] {
        try await UserSessionRecord.live(of: userID, at: clock.now(), on: database()).sort(\.$createdAt, .descending)
            .sort(\.$id).all()
    }

    /// Deletes expired sessions, and revoked ones a day after revocation, with their refresh tokens.
    func purgeEnded() async throws {
        let now = clock.now()
        try await UserSessionRecord.query(on: database())
            .group(.or) { $0.filter(\.$expiresAt < now).filter(\.$revokedAt < now.addingTimeInterval(-86_400)) }
            .delete()
    }

    /// A new refresh token for the session, stored by digest; the secret itself is only ever handed out.
    private static func storeRefreshToken(for sessionID: UUID, issuedAt now: Date, on database: any Database)
        async throws -> RefreshToken
    {
        let refresh = RefreshToken.generate()
        try await RefreshTokenRecord(digest: refresh.digest, sessionID: sessionID, issuedAt: now).create(on: database)
        return refresh
    }

    private func issue(_ subject: AccessTokens.Subject, refresh: RefreshToken, now: Date) async throws
        -> IssuedTokens
    {
        let access = try await tokens.issue(for: subject, now: now)
        return IssuedTokens(
            accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refresh.secret,
            refreshExpiresIn: policy.refreshLifetime.components.seconds)
    }

    private static func storable(_ userAgent: String) -> String {
        String(userAgent.unicodeScalars.filter { $0 != "\u{0}" }.prefix(userAgentLimit))
    }
}
