/// Starts a transaction (`Database.durably`).
struct BeginTransaction: HotStatement {
    typealias Row = Void
    static let name = "BeginTransaction"
    static let sql = "BEGIN"
}

/// Commits a transaction; PostgreSQL answers once the commit is durable (`Database.durably`).
struct CommitTransaction: HotStatement {
    typealias Row = Void
    static let name = "CommitTransaction"
    static let sql = "COMMIT"
}

/// Ends a transaction whose write failed (`Database.durably`).
struct RollbackTransaction: HotStatement {
    typealias Row = Void
    static let name = "RollbackTransaction"
    static let sql = "ROLLBACK"
}
