import Foundation
import PostgresNIO
import SQLiteNIO

// The statements of the task routes. Every one names the owner, so no route can reach another user's task, and
// every one is served by the `(owner_id, id)` index, which gives both the filter and the order (CreateTasks).
// SQLite numbers `$n` by first appearance: in each statement the placeholders first appear in order.

extension HotStatement where Row == TaskRow {
    func decodeRow(_ row: PostgresRow) throws -> TaskRow { try TaskRow(row) }
    func decodeRow(_ row: SQLiteRow) throws -> TaskRow { try TaskRow(row) }
}

extension HotStatement where Row == TaskPageRow {
    func decodeRow(_ row: PostgresRow) throws -> TaskPageRow { try TaskPageRow(row) }
    func decodeRow(_ row: SQLiteRow) throws -> TaskPageRow { try TaskPageRow(row) }
}

/// One of the owner's tasks.
struct FindTask: HotStatement {
    typealias Row = TaskRow
    static let name = "FindTask"
    static let sql = "SELECT \(TaskRow.columns) FROM tasks WHERE id = $1 AND owner_id = $2"

    let id: Int
    let ownerID: Int

    var parameters: [StatementParameter] { [.integer(id), .integer(ownerID)] }
}

/// A page of the owner's tasks by id, each row carrying the unpaged total, so one statement answers both the page
/// and `X-Total-Count`. The total is a subquery, run once, that counts on the `(owner_id, id)` index alone; a
/// window count would read every one of the owner's rows to show a hundred.
///
/// Planned for each run: a generic plan cannot tell an owner with three tasks from one with most of the table.
/// With few owners it estimates half the table for each, and walks the primary key in id order filtering by
/// owner; on PostgreSQL 15, with a window count, that read all 200,000 rows of the benchmark's table for a
/// 100-task page (docs/benchmarks.md). Planned for the actual owner, the `(owner_id, id)` index serves both the
/// filter and the order (`QueryPlanTests`).
struct ListTasks: HotStatement {
    typealias Row = TaskPageRow
    static let name = "ListTasks"
    static let plansEachRun = true
    static let sql = """
        SELECT \(TaskRow.columns), (SELECT COUNT(*) FROM tasks WHERE owner_id = $1) AS total FROM tasks \
        WHERE owner_id = $1 ORDER BY id LIMIT $2 OFFSET $3
        """

    let ownerID: Int
    let limit: Int
    let offset: Int

    var parameters: [StatementParameter] { [.integer(ownerID), .integer(limit), .integer(offset)] }
}

/// `ListTasks` of only the completed, or only the open, tasks. A statement of its own rather than an optional
/// filter, so that each has a plan that fits it.
struct ListTasksByCompletion: HotStatement {
    typealias Row = TaskPageRow
    static let name = "ListTasksByCompletion"
    static let plansEachRun = true
    static let sql = """
        SELECT \(TaskRow.columns), (SELECT COUNT(*) FROM tasks WHERE owner_id = $1 AND completed = $2) AS total \
        FROM tasks WHERE owner_id = $1 AND completed = $2 ORDER BY id LIMIT $3 OFFSET $4
        """

    let ownerID: Int
    let completed: Bool
    let limit: Int
    let offset: Int

    var parameters: [StatementParameter] {
        [.integer(ownerID), .boolean(completed), .integer(limit), .integer(offset)]
    }
}

/// A row of a task page: the task and the unpaged total.
struct TaskPageRow: Sendable {
    let task: TaskRow
    let total: Int

    init(_ row: PostgresRow) throws {
        let columns = try row.decode((Int, String, String?, Bool, Int, Date, Date, Int).self)
        task = TaskRow(
            id: columns.0, title: columns.1, description: columns.2, completed: columns.3, ownerID: columns.4,
            createdAt: columns.5, updatedAt: columns.6)
        total = columns.7
    }

    init(_ row: SQLiteRow) throws {
        task = try TaskRow(row)
        total = try row.value("total")
    }
}

/// A new task, returned as stored.
struct InsertTask: HotStatement {
    typealias Row = TaskRow
    static let name = "InsertTask"
    static let sql = """
        INSERT INTO tasks (owner_id, title, description, completed, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $5) RETURNING \(TaskRow.columns)
        """

    let ownerID: Int
    let title: String
    let description: String?
    let completed: Bool
    let now: Date

    var parameters: [StatementParameter] {
        [.integer(ownerID), .text(title), .text(description), .boolean(completed), .date(now)]
    }
}

/// Changes the given fields of one of the owner's tasks and stamps `updated_at`; returns the task as stored, or
/// no row if the owner has no such task. A nil `title` or `completed` keeps the field; `description` changes
/// only if `setsDescription`, and may be set to null.
struct UpdateTask: HotStatement {
    typealias Row = TaskRow
    static let name = "UpdateTask"
    static let sql = """
        UPDATE tasks SET title = COALESCE($1, title), description = CASE WHEN $2 THEN $3 ELSE description END, \
        completed = COALESCE($4, completed), updated_at = $5 WHERE id = $6 AND owner_id = $7 \
        RETURNING \(TaskRow.columns)
        """

    let id: Int
    let ownerID: Int
    let title: String?
    let setsDescription: Bool
    let description: String?
    let completed: Bool?
    let now: Date

    var parameters: [StatementParameter] {
        [
            .text(title), .boolean(setsDescription), .text(description), .boolean(completed), .date(now), .integer(id),
            .integer(ownerID),
        ]
    }
}

/// Deletes one of the owner's tasks; returns its id, or no row if the owner has no such task.
struct DeleteTask: HotStatement {
    static let name = "DeleteTask"
    static let sql = "DELETE FROM tasks WHERE id = $1 AND owner_id = $2 RETURNING id"

    let id: Int
    let ownerID: Int

    var parameters: [StatementParameter] { [.integer(id), .integer(ownerID)] }
    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    func decodeRow(_ row: SQLiteRow) throws -> Int { try row.value("id") }
}
