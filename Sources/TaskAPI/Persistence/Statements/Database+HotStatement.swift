import FluentKit
import PostgresNIO
import SQLiteNIO

extension Database {
    /// Runs `statement` on a pooled connection (this one, inside `durably`) and returns its rows.
    func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        // A statement copied from another and left with its name would run the other's prepared SQL on a connection
        // that prepared it first. Debug builds (the tests) check every name; release builds skip the check.
        assert(Statement.name == "\(Statement.self)", "\(Statement.self) is prepared as \(Statement.name)")
        if let postgres = self as? any PostgresDatabase {
            return try await postgres.withConnection { [logger] connection in
                // Tagged as PostgresNIO tags the logger of the statements it runs itself, for its lines at debug
                // and trace; at other levels it writes none, and tagging cost 1% of a read's CPU.
                var logger = logger
                if logger.logLevel <= .debug { logger[metadataKey: PoolWaitCounter.connectionKey] = "\(connection.id)" }
                return connection.eventLoop.makeFutureWithTask { [logger] in
                    var rows: [Statement.Row] = []
                    if Statement.plansEachRun {
                        let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
                        for try await row in try await connection.query(query, logger: logger) {
                            rows.append(try statement.decodeRow(row))
                        }
                        return rows
                    }
                    do {
                        for try await row in try await connection.execute(statement, logger: logger) {
                            rows.append(row)
                        }
                        return rows
                    } catch {
                        // PostgresNIO remembers a failed preparation for the life of the connection: a statement
                        // whose first run was cancelled (statement_timeout behind a lock) would fail there for
                        // good. A closed connection leaves the pool. Only a constraint violation, which comes from
                        // running the prepared statement, keeps it.
                        if !error.isConstraintViolation { try? await connection.close() }
                        throw error
                    }
                }
            }.get()
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

    /// The row of a statement that always returns one, such as an `INSERT … RETURNING`.
    func one<Statement: HotStatement>(_ statement: Statement) async throws -> Statement.Row {
        guard let row = try await first(statement) else { throw MissingRow(sql: Statement.sql) }
        return row
    }
}

/// A statement that always returns a row returned none.
struct MissingRow: Error, CustomStringConvertible {
    let sql: String
    var description: String { "no row returned by \(sql)" }
}

extension Error {
    /// A PostgreSQL integrity constraint violation (SQLSTATE class 23).
    fileprivate var isConstraintViolation: Bool {
        (self as? PSQLError)?.serverInfo?[.sqlState]?.hasPrefix("23") ?? false
    }
}
