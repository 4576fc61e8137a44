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
