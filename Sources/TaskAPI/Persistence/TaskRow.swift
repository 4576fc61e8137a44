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

    /// One page of an owner's tasks by id, optionally only those with the given completion state.
    static func page(
        ownerID: Int, completed: Bool?, limit: Int, offset: Int, on database: any Database
    ) async throws -> [TaskRow] {
        let query = database.sql().select()
            .columns("id", "title", "description", "completed", "owner_id", "created_at", "updated_at")
            .from(TaskRecord.schema)
            .where("owner_id", .equal, ownerID)
        if let completed {
            query.where("completed", .equal, completed)
        }
        return try await query.orderBy("id").limit(limit).offset(offset)
            .all(decoding: TaskRow.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
