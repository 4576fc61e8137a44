import Fluent
import Foundation

/// A row of `tasks`, always owned by one user.
final class TaskRecord: Model, @unchecked Sendable {
    static let schema = "tasks"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "completed") var completed: Bool
    @Parent(key: "owner_id") var owner: UserRecord
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(ownerID: Int, title: String, description: String?, completed: Bool) {
        self.$owner.id = ownerID
        self.title = title
        self.description = description
        self.completed = completed
    }
}

extension TaskRecord {
    /// The tasks of one owner: every task query starts here, so no route can reach another user's task.
    static func owned(by ownerID: Int, on database: any Database) -> QueryBuilder<TaskRecord> {
        query(on: database).filter(\.$owner.$id == ownerID)
    }
}
