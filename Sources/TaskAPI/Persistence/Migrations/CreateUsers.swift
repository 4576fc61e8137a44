import Fluent
import SQLKit

/// Version 1 of `users`: usernames are unique ignoring case, enforced by the database itself.
struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserRecord.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("created_at", .datetime)
            .create()
        // An expression index, which Fluent's schema builder cannot express; PostgreSQL and SQLite both accept it.
        try await database.sql().raw("CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserRecord.schema).delete()
    }
}
