import Fluent
import SQLKit

/// A migration with an Alembic-style revision id. Applying it records the id in `alembic_version`, reverting it
/// records the revision before it, so the table always names the schema's current revision, as the original's
/// Alembic keeps it: `\dt` shows it, and `alembic current` reads it. The wrapped migration keeps its own name,
/// which is what `_fluent_migrations` tracks.
struct Revision: AsyncMigration {
    let id: String
    let previous: String?
    let migration: any AsyncMigration

    var name: String { migration.name }

    func prepare(on database: any Database) async throws {
        try await database.withoutStatementTimeout { database in
            try await migration.prepare(on: database)
            try await AlembicVersion.set(id, on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.withoutStatementTimeout { database in
            try await migration.revert(on: database)
            try await AlembicVersion.set(previous, on: database)
        }
    }
}

extension Database {
    /// Runs `work` on one connection with PostgreSQL's `statement_timeout` lifted: a request's deadline is no
    /// limit for building an index over a large table. The connection gets its configured timeout back after.
    func withoutStatementTimeout(_ work: @escaping @Sendable (any Database) async throws -> Void) async throws {
        guard !isSQLite else { return try await work(self) }
        try await withConnection { connection in
            try await connection.sql().raw("SET statement_timeout = 0").run()
            do {
                try await work(connection)
            } catch {
                try? await connection.sql().raw("RESET statement_timeout").run()
                throw error
            }
            try await connection.sql().raw("RESET statement_timeout").run()
        }
    }
}

/// The one-row `alembic_version` table.
enum AlembicVersion {
    /// Records `revision` as current; nil (every revision reverted) drops the table, as the schema is then empty.
    static func set(_ revision: String?, on database: any Database) async throws {
        let sql = database.sql()
        guard let revision else {
            try await sql.drop(table: "alembic_version").ifExists().run()
            return
        }
        try await sql.create(table: "alembic_version").ifNotExists()
            .column("version_num", type: .custom(SQLRaw("VARCHAR(32)")), .primaryKey(autoIncrement: false), .notNull)
            .run()
        try await sql.delete(from: "alembic_version").run()
        try await sql.insert(into: "alembic_version").columns("version_num").values(SQLBind(revision)).run()
    }

    /// The recorded revision, or nil when there is none.
    static func current(on database: any Database) async throws -> String? {
        let sql = database.sql()
        let tables = try await sql.raw(
            database.isSQLite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
                : "SELECT tablename AS name FROM pg_tables WHERE tablename = 'alembic_version'"
        ).all()
        guard !tables.isEmpty else { return nil }
        return try await database.sql().select().column("version_num").from("alembic_version").first()?
            .decode(column: "version_num", as: String.self)
    }
}
