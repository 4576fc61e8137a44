import Fluent
import SQLKit

extension Database {
    /// Runs `write` in a transaction on one connection and returns once it has committed. PostgreSQL answers a
    /// COMMIT only once the commit is on disk, whereas a statement run on its own is reported complete before
    /// its implicit commit: a crash in that gap (measured by scripts/fault-test.sh) lost a write the client had
    /// been told about. The transaction is bounded by `deadline` once it has its connection: if PostgreSQL dies
    /// mid-transaction, a statement written to the closed connection would otherwise never complete.
    func durably<T: Sendable>(
        within deadline: Duration, _ write: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await withDeadline(deadline) {
                _ = try await connection.run(BeginTransaction())
                do {
                    let result = try await write(connection)
                    _ = try await connection.run(CommitTransaction())
                    return result
                } catch {
                    // A dead connection rolls back by itself, and a ROLLBACK written to it would never answer.
                    if !DatabaseUnavailable.matches(error) { try? await connection.sql().raw("ROLLBACK").run() }
                    throw error
                }
            }
        }
    }
}
