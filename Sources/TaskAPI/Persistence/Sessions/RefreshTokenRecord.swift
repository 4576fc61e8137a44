import Fluent
import Foundation

/// A row of `refresh_tokens`: every refresh token a session was given, by digest. Spent ones stay until the
/// session is purged, so a replayed old token is recognised as reuse rather than as garbage.
final class RefreshTokenRecord: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"

    @ID(custom: "token_hash", generatedBy: .user) var id: String?
    @Parent(key: "session_id") var session: UserSessionRecord
    @Field(key: "issued_at") var issuedAt: Date
    @OptionalField(key: "spent_at") var spentAt: Date?

    init() {}

    init(digest: String, sessionID: UUID, issuedAt: Date) {
        self.id = digest
        self.$session.id = sessionID
        self.issuedAt = issuedAt
    }
}
