import Fluent
import Foundation
import TaskAPIContract

extension APIHandlers {
    /// Replaces a task's fields, with the same rules and defaults as create.
    func replaceTask(_ input: Operations.ReplaceTask.Input) async throws -> Operations.ReplaceTask.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        try validateTaskFields(title: body.title, description: body.description)
        let change = UpdateTask(
            id: Int(input.path.taskId), ownerID: try Caller.required().id, title: body.title, setsDescription: true,
            description: body.description, completed: body.completed ?? false, now: Date())
        guard let task = try await durably(change).first else { return .notFound(.taskNotFound) }
        return .ok(.init(body: .json(TaskResource(task))))
    }

    /// Changes only the fields present in the body; `"description": null` clears the description. A body that
    /// changes nothing leaves the task, and its `updated_at`, as they are.
    func updateTask(_ input: Operations.UpdateTask.Input) async throws -> Operations.UpdateTask.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let sent = try validateTaskFields(title: body.title, description: body.description)
        let id = Int(input.path.taskId)
        let ownerID = try Caller.required().id
        let setsDescription = sent.present.contains("description")
        let task: TaskRow?
        if body.title == nil && !setsDescription && body.completed == nil {
            task = try await database().first(FindTask(id: id, ownerID: ownerID))
        } else {
            let change = UpdateTask(
                id: id, ownerID: ownerID, title: body.title, setsDescription: setsDescription,
                description: body.description, completed: body.completed, now: Date())
            task = try await durably(change).first
        }
        guard let task else { return .notFound(.taskNotFound) }
        return .ok(.init(body: .json(TaskResource(task))))
    }

    /// Checks the task rules, and the nulls the generated types let through as absent fields.
    @discardableResult
    func validateTaskFields(title: String?, description: String?) throws -> JSONBodyFields {
        let sent = try JSONBodyFields.ofCurrentRequest()
        try ValidationFailure.check(
            TaskRules.violations(title: title, description: description)
                + sent.nullViolations(TaskRules.nonNullableFields))
        return sent
    }
}
