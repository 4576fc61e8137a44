import Fluent

extension Database {
    /// Runs `write` in a transaction and returns once it has committed. PostgreSQL answers a COMMIT only once the
    /// commit is on disk, whereas a statement run on its own can be reported complete before its implicit commit
    /// is: a crash in that gap (measured by scripts/fault-test.sh) lost a write the client had been told about.
    func durably<T: Sendable>(_ write: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction(write)
    }
}
