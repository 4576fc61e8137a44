import Fluent
import Foundation
import SQLKit

/// The per-request check of every authenticated call: the token's user and session, loaded together by primary
/// key in one indexed statement, with no write. A revoked or expired session, or a deleted user, finds no row.
enum CallerLookup {
    struct Row: Decodable, Sendable {
        let id: Int
        let username: String
    }

    static func find(userID: Int, sessionID: UUID, at now: Date, on database: any Database) async throws -> Row? {
        try await database.sql().raw(
            """
            SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id
            WHERE sessions.id = \(bind: sessionID) AND sessions.user_id = \(bind: userID)
            AND sessions.revoked_at IS NULL AND sessions.expires_at > \(bind: now)
            """
        ).first(decoding: Row.self)
    }
}
