import FluentKit
import PostgresNIO
import SQLiteNIO

/// A statement of a hot path (the caller check of every request and the task routes), its SQL written once with
/// `$1`, `$2`… placeholders that both databases understand. PostgreSQL runs it as a named prepared statement,
/// parsed and planned once per pooled connection rather than once per request; SQLite numbers `$n` parameters in
/// order of first appearance, so each statement's placeholders first appear in order. Rows are decoded straight
/// into plain values, with no SQL assembled and no model filled through reflection per request.
protocol HotStatement: PostgresPreparedStatement where Row: Sendable {
    /// Whether PostgreSQL plans this statement for each run's parameters instead of preparing it once. After five
    /// runs of a prepared statement PostgreSQL may switch to one generic plan, made without knowing the values;
    /// for a statement whose best plan depends on how many rows a value matches, that plan can read the whole
    /// table (see `ListTasks`).
    static var plansEachRun: Bool { get }
    /// The parameters in placeholder order, as SQLite takes them.
    var sqliteBindings: [SQLiteData] { get }
    /// A result row, from SQLite.
    func decodeRow(_ row: SQLiteRow) throws -> Row
}

extension HotStatement {
    static var plansEachRun: Bool { false }
}

extension HotStatement where Row == Void {
    func decodeRow(_ row: PostgresRow) throws {}
    func decodeRow(_ row: SQLiteRow) throws {}
}

extension Database {
    /// Runs `statement` on a pooled connection (this one, inside `durably`) and returns its rows.
    func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        if let postgres = self as? any PostgresDatabase {
            return try await postgres.withConnection { [logger] connection in
                // Tagged as PostgresNIO tags the logger of the statements it runs itself.
                var logger = logger
                logger[metadataKey: PoolWaitCounter.connectionKey] = "\(connection.id)"
                return connection.eventLoop.makeFutureWithTask { [logger] in
                    do {
                        var rows: [Statement.Row] = []
                        if Statement.plansEachRun {
                            let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
                            for try await row in try await connection.query(query, logger: logger) {
                                rows.append(try statement.decodeRow(row))
                            }
                        } else {
                            for try await row in try await connection.execute(statement, logger: logger) {
                                rows.append(row)
                            }
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
        return try await sqlite.query(Statement.sql, statement.sqliteBindings).map(statement.decodeRow)
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

/// A column of an SQLite row that must be there with a value of the expected type.
struct MissingColumn: Error, CustomStringConvertible {
    let name: String
    var description: String { "the result has no usable column \(name)" }
}

extension SQLiteRow {
    func value<Value: SQLiteDataConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let data = self.column(column), let value = Value(sqliteData: data) else {
            throw MissingColumn(name: column)
        }
        return value
    }

    /// A nullable column: nil for SQL NULL.
    func optionalValue<Value: SQLiteDataConvertible>(_ column: String, as type: Value.Type = Value.self) throws
        -> Value?
    {
        if self.column(column) == .null { return nil }
        return try value(column, as: type)
    }
}
