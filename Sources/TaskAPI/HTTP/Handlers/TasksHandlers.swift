import Fluent
import Foundation
import TaskAPIContract

extension APIHandlers {
    /// The caller's tasks by id, a page at a time, with the unpaged total in `X-Total-Count`.
    func listTasks(_ input: Operations.ListTasks.Input) async throws -> Operations.ListTasks.Output {
        let caller = try Caller.required()
        let paging = Paging(limit: input.query.limit, offset: input.query.offset)
        let selection = TaskSelection(ownerID: caller.id, completed: input.query.completed)
        let page = try await selection.page(limit: paging.limit, offset: paging.offset, on: database())
        return .ok(
            .init(headers: .init(xTotalCount: Int64(page.total)), body: .json(page.tasks.map(TaskResource.init))))
    }

    /// Creates a task owned by the caller; an `id` or `owner_id` in the body is ignored.
    func createTask(_ input: Operations.CreateTask.Input) async throws -> Operations.CreateTask.Output {
        let caller = try Caller.required()
        let body =
            switch input.body {
            case .json(let body): body
            }
        try validateTaskFields(title: body.title, description: body.description)
        let insert = InsertTask(
            ownerID: caller.id, title: body.title, description: body.description, completed: body.completed ?? false,
            now: Date())
        guard let task = try await durably(insert).first else { throw MissingRow(sql: InsertTask.sql) }
        return .created(.init(body: .json(TaskResource(task))))
    }

    /// One of the caller's tasks.
    func readTask(_ input: Operations.ReadTask.Input) async throws -> Operations.ReadTask.Output {
        let caller = try Caller.required()
        guard let task = try await database().first(FindTask(id: Int(input.path.taskId), ownerID: caller.id)) else {
            return .notFound(.taskNotFound)
        }
        return .ok(.init(body: .json(TaskResource(task))))
    }

    /// Deletes one of the caller's tasks.
    func deleteTask(_ input: Operations.DeleteTask.Input) async throws -> Operations.DeleteTask.Output {
        let caller = try Caller.required()
        let delete = DeleteTask(id: Int(input.path.taskId), ownerID: caller.id)
        guard try await !durably(delete).isEmpty else { return .notFound(.taskNotFound) }
        return .noContent(.init())
    }
}

extension Components.Responses.TaskNotFound {
    static let taskNotFound = Self(body: .json(.init(detail: "Task not found")))
}

extension TaskResource {
    init(_ row: TaskRow) {
        self.init(
            id: Int64(row.id), title: row.title, description: row.description, completed: row.completed,
            ownerID: Int64(row.ownerID), createdAt: row.createdAt, updatedAt: row.updatedAt)
    }
}
