import FluentKit
import Foundation
import PostgresNIO
import SQLiteNIO

/// The per-request check of every authenticated call: the token's user and session, loaded together by primary
/// key in one indexed statement, with no write. A revoked or expired session, or a deleted user, finds no row.
struct CallerLookup: HotStatement {
    static let name = "CallerLookup"
    struct Row: Sendable {
        let id: Int
        let username: String
    }

    static let sql = """
        SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id \
        WHERE sessions.id = $1 AND sessions.user_id = $2 AND sessions.revoked_at IS NULL AND sessions.expires_at > $3
        """

    let sessionID: UUID
    let userID: Int
    let now: Date

    static func find(userID: Int, sessionID: UUID, at now: Date, on database: any Database) async throws -> Row? {
        try await database.first(CallerLookup(sessionID: sessionID, userID: userID, now: now))
    }

    var parameters: [StatementParameter] { [.uuid(sessionID), .integer(userID), .date(now)] }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        let (id, username) = try row.decode((Int, String).self)
        return Row(id: id, username: username)
    }

    func decodeRow(_ row: SQLiteRow) throws -> Row {
        Row(id: try row.value("id"), username: try row.value("username"))
    }
}
