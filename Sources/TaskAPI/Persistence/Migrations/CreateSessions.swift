import Fluent
import SQLKit

/// Version 1 of `sessions` and `refresh_tokens`: deleting a user deletes their sessions, and ending a session's
/// row (the purge) deletes its refresh tokens.
struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSessionRecord.schema)
            .id()
            .field("user_id", .int, .required, .references(UserRecord.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("user_agent", .string)
            .field("client_address", .string)
            .create()
        // Listing and revoking a user's sessions filter by user.
        try await database.sql().create(index: "sessions_user_id_idx").on(UserSessionRecord.schema).column("user_id")
            .run()

        try await database.schema(RefreshTokenRecord.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("session_id", .uuid, .required, .references(UserSessionRecord.schema, .id, onDelete: .cascade))
            .field("issued_at", .datetime, .required)
            .field("spent_at", .datetime)
            .create()
        try await database.sql().create(index: "refresh_tokens_session_id_idx").on(RefreshTokenRecord.schema)
            .column("session_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RefreshTokenRecord.schema).delete()
        try await database.schema(UserSessionRecord.schema).delete()
    }
}
