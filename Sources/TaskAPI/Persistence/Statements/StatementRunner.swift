import FluentKit
import Logging
import NIOCore
import PostgresNIO

/// Where hot statements run: a Fluent database (either engine, a connection from its pool per statement), or one
/// PostgreSQL connection held for a whole transaction.
protocol StatementRunner: Sendable {
    func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row]
}

/// A Fluent database, through `Database.run`.
struct DatabaseStatements: StatementRunner {
    let database: any Database

    func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try await database.run(statement)
    }
}

/// A PostgreSQL connection lent by the pool, its statements run straight through PostgresNIO: no Fluent handle,
/// lease or task of their own per statement.
struct LeasedConnection: StatementRunner {
    let connection: PostgresConnection
    let logger: Logger

    /// Lends one of `database`'s connections to `body`, which runs in the calling task. The pool lends through a
    /// closure that must return a future: the future is completed when `body` ends, instead of starting a task
    /// of its own to run `body` (`makeFutureWithTask`), a task and two hops between it and the caller for every
    /// lease.
    static func lease<T: Sendable>(
        from database: any PostgresDatabase, logger: Logger, _ body: (LeasedConnection) async throws -> T
    ) async throws -> T {
        let (connection, returned) = try await withCheckedThrowingContinuation { continuation in
            database.withConnection { connection in
                let returned = connection.eventLoop.makePromise(of: Void.self)
                continuation.resume(returning: (connection, returned))
                return returned.futureResult
            }.whenFailure { continuation.resume(throwing: $0) }  // no connection lent: `returned` only ever succeeds
        }
        defer { returned.succeed() }
        return try await body(LeasedConnection(connection: connection, logger: logger))
    }

    func run<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        // A statement copied from another and left with its name would run the other's prepared SQL on a connection
        // that prepared it first. Debug builds (the tests) check every name; release builds skip the check.
        assert(Statement.name == "\(Statement.self)", "\(Statement.self) is prepared as \(Statement.name)")
        // Tagged as PostgresNIO tags the logger of the statements it runs itself, for its lines at debug and trace;
        // at other levels it writes none, and tagging cost 1% of a read's CPU.
        // PostgresNIO never answers a statement written to a closed connection, as when this method closed it
        // after an error and the transaction around it then sends ROLLBACK: NIO's own error answers at once.
        guard !connection.isClosed else { throw ChannelError.ioOnClosedChannel }
        var logger = logger
        if logger.logLevel <= .debug { logger[metadataKey: PoolWaitCounter.connectionKey] = "\(connection.id)" }
        var rows: [Statement.Row] = []
        if Statement.plansEachRun {
            let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
            for try await row in try await connection.query(query, logger: logger) {
                rows.append(try statement.decodeRow(row))
            }
            return rows
        }
        do {
            for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch {
            // PostgresNIO remembers a failed preparation for the life of the connection: a statement whose first
            // run was cancelled (statement_timeout behind a lock) would fail there for good. A closed connection
            // leaves the pool. Only a constraint violation, which comes from running the prepared statement, keeps
            // it.
            if !error.isConstraintViolation { try? await connection.close() }
            throw error
        }
    }
}

extension Error {
    /// A PostgreSQL integrity constraint violation (SQLSTATE class 23).
    fileprivate var isConstraintViolation: Bool {
        (self as? PSQLError)?.serverInfo?[.sqlState]?.hasPrefix("23") ?? false
    }
}
