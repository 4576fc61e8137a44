import Fluent
import SQLKit

/// The schema's history, oldest first: the role Alembic's versions folder plays in the original.
enum SchemaMigrations {
    static let all: [any Migration] = [CreateUsers(), CreateTasks(), CreateSessions(), CreateThrottleCounters()]
}

extension Database {
    /// Both drivers are SQL databases; the few statements Fluent's builders cannot express go through SQLKit.
    func sql() -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("TaskAPI supports only SQL databases, got \(type(of: self))")
        }
        return sql
    }
}
