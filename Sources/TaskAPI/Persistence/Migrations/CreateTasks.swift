import Fluent
import SQLKit

/// Version 1 of `tasks`: deleting a user deletes their tasks.
struct CreateTasks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TaskRecord.schema)
            .field(.id, .int, .identifier(auto: true))
            .field("title", .string, .required)
            .field("description", .string)
            .field("completed", .bool, .required, .sql(.default(false)))
            .field("owner_id", .int, .required, .references(UserRecord.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        // Every task query filters by owner and orders by id, so one index serves both.
        try await database.sql().create(index: "tasks_owner_id_id_idx").on(TaskRecord.schema)
            .column("owner_id").column("id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TaskRecord.schema).delete()
    }
}
