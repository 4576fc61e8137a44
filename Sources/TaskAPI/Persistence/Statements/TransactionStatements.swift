import PostgresNIO
import SQLiteNIO

/// Starts a transaction (`Database.durably`).
struct BeginTransaction: HotStatement {
    typealias Row = Void
    static let sql = "BEGIN"
    func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    var sqliteBindings: [SQLiteData] { [] }
}

/// Commits a transaction; PostgreSQL answers once the commit is durable (`Database.durably`).
struct CommitTransaction: HotStatement {
    typealias Row = Void
    static let sql = "COMMIT"
    func makeBindings() throws -> PostgresBindings { PostgresBindings() }
    var sqliteBindings: [SQLiteData] { [] }
}
