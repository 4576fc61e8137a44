import Fluent
import PostgresNIO

extension Database {
    /// Runs `write` in a transaction on one connection and returns once it has committed. PostgreSQL answers a
    /// COMMIT only once the commit is on disk, whereas a statement run on its own is reported complete before
    /// its implicit commit: a crash in that gap (measured by scripts/fault-test.sh) lost a write the client had
    /// been told about.
    func durably<T: Sendable>(
        within deadline: Duration, _ write: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await DatabaseStatements(database: connection).transaction(within: deadline) {
                try await write(connection)
            }
        }
    }

    /// Runs one hot statement durably, as `durably(within:_:)` runs a write. On PostgreSQL its transaction runs
    /// straight on the connection the pool lends (`LeasedConnection`), without a Fluent handle, lease and task for
    /// each of its three statements: 26 µs less of server CPU per create in paired profiles (docs/benchmarks.md).
    func durably<Statement: HotStatement>(
        within deadline: Duration, _ statement: Statement
    ) async throws -> [Statement.Row] {
        guard let postgres = self as? any PostgresDatabase else {
            return try await durably(within: deadline) { try await $0.run(statement) }
        }
        return try await LeasedConnection.lease(from: postgres, logger: logger) { leased in
            try await leased.transaction(within: deadline) { try await leased.run(statement) }
        }
    }
}

extension StatementRunner {
    /// `write` between BEGIN and COMMIT on this runner's one connection. The transaction is bounded by `deadline`:
    /// if PostgreSQL dies mid-transaction, a statement written to the closed connection would otherwise never
    /// complete.
    fileprivate func transaction<T: Sendable>(
        within deadline: Duration, _ write: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withDeadline(deadline) {
            _ = try await run(BeginTransaction())
            do {
                let result = try await write()
                _ = try await run(CommitTransaction())
                return result
            } catch {
                // A dead connection rolls back by itself, and a ROLLBACK written to it would never answer.
                if !DatabaseUnavailable.matches(error) { _ = try? await run(RollbackTransaction()) }
                throw error
            }
        }
    }
}
