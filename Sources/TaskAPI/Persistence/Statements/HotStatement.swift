import Foundation
import PostgresNIO
import SQLiteNIO

/// A statement of a hot path (the caller check of every request and the task routes), its SQL written once with
/// `$1`, `$2`… placeholders that both databases understand. PostgreSQL runs it as a named prepared statement,
/// parsed and planned once per pooled connection rather than once per request; SQLite numbers `$n` parameters in
/// order of first appearance, so each statement's placeholders first appear in order. Its parameters are listed
/// once (`parameters`) and bound for either database from that list; rows are decoded straight into plain values,
/// with no SQL assembled and no model filled through reflection per request.
protocol HotStatement: PostgresPreparedStatement where Row: Sendable {
    /// The name PostgreSQL prepares it under: the type's name, written out, since PostgresNIO's default,
    /// `String(reflecting: Self.self)`, is computed at every run (1% of a read's CPU). `Database.run` checks it in
    /// debug builds.
    static var name: String { get }
    /// Whether PostgreSQL plans this statement for each run's parameters instead of preparing it once. After five
    /// runs of a prepared statement PostgreSQL may switch to one generic plan, made without knowing the values;
    /// for a statement whose best plan depends on how many rows a value matches, that plan can read the whole
    /// table (see `ListTasks`).
    static var plansEachRun: Bool { get }
    /// The values of `$1`, `$2`…, in that order.
    var parameters: [StatementParameter] { get }
    /// A result row, from SQLite.
    func decodeRow(_ row: SQLiteRow) throws -> Row
}

/// A value bound to a statement, stored as Fluent stores it: on SQLite a Bool is 0 or 1, a date seconds since 1970
/// and a UUID its text.
enum StatementParameter: Sendable {
    case integer(Int)
    case text(String?)
    case boolean(Bool?)
    case date(Date)
    case uuid(UUID)

    var sqliteData: SQLiteData {
        switch self {
        case .integer(let value): .integer(value)
        case .text(let value): value.map(SQLiteData.text) ?? .null
        case .boolean(let value): value.map { .integer($0 ? 1 : 0) } ?? .null
        case .date(let value): .float(value.timeIntervalSince1970)
        case .uuid(let value): .text(value.uuidString)
        }
    }
}

extension HotStatement {
    static var plansEachRun: Bool { false }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            switch parameter {
            case .integer(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .boolean(let value): bindings.append(value)
            case .date(let value): bindings.append(value)
            case .uuid(let value): bindings.append(value)
            }
        }
        return bindings
    }
}

extension HotStatement where Row == Void {
    var parameters: [StatementParameter] { [] }
    func decodeRow(_ row: PostgresRow) throws {}
    func decodeRow(_ row: SQLiteRow) throws {}
}
