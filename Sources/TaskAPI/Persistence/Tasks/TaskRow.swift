import Foundation
import PostgresNIO
import SQLiteNIO

/// A `tasks` row read as a plain value, straight from the database's row: the task statements
/// (`TaskStatements.swift`) all return their rows in this column order.
struct TaskRow: Equatable, Sendable {
    let id: Int
    let title: String
    let description: String?
    let completed: Bool
    let ownerID: Int
    let createdAt: Date
    let updatedAt: Date

    static let columns = "id, title, description, completed, owner_id, created_at, updated_at"
}

extension TaskRow {
    init(_ row: PostgresRow) throws {
        let columns = try row.decode((Int, String, String?, Bool, Int, Date, Date).self)
        self.init(
            id: columns.0, title: columns.1, description: columns.2, completed: columns.3, ownerID: columns.4,
            createdAt: columns.5, updatedAt: columns.6)
    }

    init(_ row: SQLiteRow) throws {
        self.init(
            id: try row.value("id"), title: try row.value("title"), description: try row.optionalValue("description"),
            completed: try row.value("completed"), ownerID: try row.value("owner_id"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"))
    }
}
