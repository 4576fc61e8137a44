import FluentKit
import PostgresNIO
import SQLiteNIO

extension Database {
    /// Runs `statement` on a pooled connection (this one, inside `durably`) and returns its rows.
    func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        if let postgres = self as? any PostgresDatabase {
            return try await LeasedConnection.lease(from: postgres, logger: logger) { try await $0.run(statement) }
        }
        guard let sqlite = self as? any SQLiteDatabase else {
            preconditionFailure("TaskAPI supports only PostgreSQL and SQLite, got \(type(of: self))")
        }
        return try await sqlite.query(Statement.sql, statement.parameters.map(\.sqliteData)).map(statement.decodeRow)
    }

    /// The first row `statement` returns, if any.
    func first<Statement: HotStatement>(_ statement: Statement) async throws -> Statement.Row? {
        try await run(statement).first
    }
}

/// A statement that always returns a row, such as an `INSERT … RETURNING`, returned none.
struct MissingRow: Error, CustomStringConvertible {
    let sql: String
    var description: String { "no row returned by \(sql)" }
}
