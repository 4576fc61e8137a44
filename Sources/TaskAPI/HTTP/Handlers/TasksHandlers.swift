import Fluent
import TaskAPIContract

extension APIHandlers {
    /// The caller's tasks by id, a page at a time, with the unpaged total in `X-Total-Count`.
    func listTasks(_ input: Operations.ListTasks.Input) async throws -> Operations.ListTasks.Output {
        let caller = try Caller.required()
        let paging = Paging(limit: input.query.limit, offset: input.query.offset)
        let database = try database()
        let selection = TaskRow.Selection(ownerID: caller.id, completed: input.query.completed)
        let total = try await selection.total(on: database)
        let page = try await selection.page(limit: paging.limit, offset: paging.offset, on: database)
        return .ok(.init(headers: .init(xTotalCount: Int64(total)), body: .json(page.map(TaskResource.init))))
    }

    /// Creates a task owned by the caller; an `id` or `owner_id` in the body is ignored.
    func createTask(_ input: Operations.CreateTask.Input) async throws -> Operations.CreateTask.Output {
        let caller = try Caller.required()
        let body =
            switch input.body {
            case .json(let body): body
            }
        try validateTaskFields(title: body.title, description: body.description)
        let task = TaskRecord(
            ownerID: caller.id, title: body.title, description: body.description, completed: body.completed ?? false)
        try await durably { try await task.create(on: $0) }
        return .created(.init(body: .json(try TaskResource(task))))
    }

    /// One of the caller's tasks.
    func readTask(_ input: Operations.ReadTask.Input) async throws -> Operations.ReadTask.Output {
        guard let task = try await callersTask(input.path.taskId) else { return .notFound(.taskNotFound) }
        return .ok(.init(body: .json(try TaskResource(task))))
    }

    /// Deletes one of the caller's tasks.
    func deleteTask(_ input: Operations.DeleteTask.Input) async throws -> Operations.DeleteTask.Output {
        guard let task = try await callersTask(input.path.taskId) else { return .notFound(.taskNotFound) }
        try await durably { try await task.delete(on: $0) }
        return .noContent(.init())
    }

    /// The caller's task with this id; another user's task is indistinguishable from a missing one.
    func callersTask(_ id: Int64) async throws -> TaskRecord? {
        let caller = try Caller.required()
        return try await TaskRecord.owned(by: caller.id, on: database()).filter(\.$id == Int(id)).first()
    }
}

extension Components.Responses.TaskNotFound {
    static let taskNotFound = Self(body: .json(.init(detail: "Task not found")))
}

extension TaskResource {
    init(_ record: TaskRecord) throws {
        guard let createdAt = record.createdAt, let updatedAt = record.updatedAt else {
            throw FluentError.missingField(name: "created_at/updated_at")
        }
        self.init(
            id: Int64(try record.requireID()), title: record.title, description: record.description,
            completed: record.completed, ownerID: Int64(record.$owner.id), createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension TaskResource {
    init(_ row: TaskRow) {
        self.init(
            id: Int64(row.id), title: row.title, description: row.description, completed: row.completed,
            ownerID: Int64(row.ownerId), createdAt: row.createdAt, updatedAt: row.updatedAt)
    }
}
