import Foundation
import PostgresNIO

// The service's own SQL (Sources/TaskAPI/Persistence), so that both stacks send PostgreSQL the same statements and
// share one pgbench ceiling (Benchmarks/sql). Each is a named prepared statement whose rows decode into a struct.

let taskColumns = "id, title, description, completed, owner_id, created_at, updated_at"

struct TaskBody: Codable, Sendable {
    let id: Int
    let title: String
    let description: String?
    let completed: Bool
    let ownerID: Int
    let createdAt: Date
    let updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, description, completed
        case ownerID = "owner_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension TaskBody {
    /// A row of `taskColumns`.
    init(_ row: PostgresRow) throws {
        let columns = try row.decode((Int, String, String?, Bool, Int, Date, Date).self)
        self.init(
            id: columns.0, title: columns.1, description: columns.2, completed: columns.3, ownerID: columns.4,
            createdAt: columns.5, updatedAt: columns.6)
    }
}

/// The statements that return tasks decode them one way.
extension PostgresPreparedStatement where Row == TaskBody {
    func decodeRow(_ row: PostgresRow) throws -> TaskBody { try TaskBody(row) }
}

struct CallerLookup: PostgresPreparedStatement {
    static let name = "CallerLookup"
    static let sql = """
        SELECT users.id, users.username FROM sessions JOIN users ON users.id = sessions.user_id \
        WHERE sessions.id = $1 AND sessions.user_id = $2 AND sessions.revoked_at IS NULL AND sessions.expires_at > $3
        """
    typealias Row = Int

    let sessionID: UUID
    let userID: Int
    let now: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(sessionID)
        bindings.append(userID)
        bindings.append(now)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode((Int, String).self).0 }
}

struct FindTask: PostgresPreparedStatement {
    static let name = "FindTask"
    static let sql = "SELECT \(taskColumns) FROM tasks WHERE id = $1 AND owner_id = $2"
    typealias Row = TaskBody

    let id: Int
    let ownerID: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(id)
        bindings.append(ownerID)
        return bindings
    }
}

struct InsertTask: PostgresPreparedStatement {
    static let name = "InsertTask"
    static let sql = """
        INSERT INTO tasks (owner_id, title, description, completed, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $5) RETURNING \(taskColumns)
        """
    typealias Row = TaskBody

    let ownerID: Int
    let title: String
    let description: String?
    let completed: Bool
    let now: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(ownerID)
        bindings.append(title)
        bindings.append(description)
        bindings.append(completed)
        bindings.append(now)
        return bindings
    }
}

struct UpdateTask: PostgresPreparedStatement {
    static let name = "UpdateTask"
    static let sql = """
        UPDATE tasks SET title = COALESCE($1, title), description = CASE WHEN $2 THEN $3 ELSE description END, \
        completed = COALESCE($4, completed), updated_at = $5 WHERE id = $6 AND owner_id = $7 \
        RETURNING \(taskColumns)
        """
    typealias Row = TaskBody

    let id: Int
    let ownerID: Int
    let title: String?
    let setsDescription: Bool
    let description: String?
    let completed: Bool?
    let now: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(title)
        bindings.append(setsDescription)
        bindings.append(description)
        bindings.append(completed)
        bindings.append(now)
        bindings.append(id)
        bindings.append(ownerID)
        return bindings
    }
}

struct DeleteTask: PostgresPreparedStatement {
    static let name = "DeleteTask"
    static let sql = "DELETE FROM tasks WHERE id = $1 AND owner_id = $2 RETURNING id"
    typealias Row = Int

    let id: Int
    let ownerID: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(id)
        bindings.append(ownerID)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
}

/// The list is planned for each run, as the service plans it (`HotStatement.plansEachRun`): a generic plan walks
/// the whole table for one owner's page.
func listTasks(ownerID: Int, limit: Int, offset: Int) -> PostgresQuery {
    var bindings = PostgresBindings(capacity: 3)
    bindings.append(ownerID)
    bindings.append(limit)
    bindings.append(offset)
    return PostgresQuery(unsafeSQL: listTasksSQL, binds: bindings)
}

/// Written once, not per request.
let listTasksSQL = """
    SELECT \(taskColumns), (SELECT COUNT(*) FROM tasks WHERE owner_id = $1) AS total FROM tasks \
    WHERE owner_id = $1 ORDER BY id LIMIT $2 OFFSET $3
    """
