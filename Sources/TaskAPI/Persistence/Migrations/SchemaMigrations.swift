import Fluent
import SQLKit

/// The schema's history, oldest first: the role Alembic's versions folder plays in the original, with the
/// revision ids `alembic_version` records.
enum SchemaMigrations {
    static let revisions: [Revision] = [
        Revision(id: "0001_users", previous: nil, migration: CreateUsers()),
        Revision(id: "0002_tasks", previous: "0001_users", migration: CreateTasks()),
        Revision(id: "0003_sessions", previous: "0002_tasks", migration: CreateSessions()),
        Revision(id: "0004_throttle_counters", previous: "0003_sessions", migration: CreateThrottleCounters()),
        Revision(id: "0005_ids_never_reused", previous: "0004_throttle_counters", migration: NeverReuseIDs()),
    ]

    static var all: [any Migration] { revisions }

    /// The revisions applied to `database`, oldest first, read from Fluent's own log.
    static func applied(on database: any Database) async throws -> [Revision] {
        let names = Set(try await MigrationLog.query(on: database).all(\.$name))
        return revisions.filter { names.contains($0.name) }
    }

    /// Reverts the newest `count` applied revisions one at a time, newest first, as Fluent's migrator reverts a
    /// batch: the migration's `revert`, then its log row.
    static func revert(last count: Int, on database: any Database) async throws -> [Revision] {
        let reverting = Array(try await applied(on: database).suffix(count).reversed())
        for revision in reverting {
            try await revision.revert(on: database)
            try await MigrationLog.query(on: database).filter(\.$name == revision.name).delete()
        }
        return reverting
    }
}

extension Database {
    /// Both drivers are SQL databases; the few statements Fluent's builders cannot express go through SQLKit.
    func sql() -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("TaskAPI supports only SQL databases, got \(type(of: self))")
        }
        return sql
    }

    /// Whether this is the embedded SQLite rather than PostgreSQL, for the few statements that differ.
    var isSQLite: Bool { sql().dialect.name == "sqlite" }
}
