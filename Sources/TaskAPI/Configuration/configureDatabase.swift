import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Connects the database the settings name. A request waits at most `timeout` for a connection, and on
/// PostgreSQL no statement runs longer (`statement_timeout`): past it, the request gets 503, and the connection
/// is free again. A PostgreSQL connection idle for `idleTimeout` is closed, found by a check at least once a
/// minute. SQLite keeps its driver's one connection per event loop.
func configureDatabase(
    _ app: Application, _ database: Settings.Database, poolSize: Int, timeout: Duration, idleTimeout: Duration
) async throws {
    let poolTimeout = TimeAmount(timeout)
    switch database {
    case .postgres(let url):
        var configuration = try SQLPostgresConfiguration(url: url)
        configuration.coreConfiguration.options.additionalStartupParameters.append(
            ("statement_timeout", "\(poolTimeout.nanoseconds / 1_000_000)ms"))
        let loops = app.eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }
        app.databases.use(
            .postgres(
                configuration: configuration, maxConnectionsPerEventLoop: (poolSize + loops - 1) / loops,
                connectionPoolTimeout: poolTimeout, pruneInterval: TimeAmount(min(idleTimeout, .seconds(60))),
                maxIdleTimeBeforePruning: TimeAmount(idleTimeout)),
            as: .psql)
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: poolTimeout), as: .sqlite)
        // Write-ahead logging (kept by the file once set): a commit appends to the log instead of rewriting a
        // rollback journal, and readers no longer wait for a writer.
        try await app.db.sql().raw("PRAGMA journal_mode = WAL").run()
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory, connectionPoolTimeout: poolTimeout), as: .sqlite)
    }
}
