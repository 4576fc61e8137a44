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
        guard let task = try await callersTask(input.path.taskId) else { return .notFound(.taskNotFound) }
        task.title = body.title
        task.description = body.description
        task.completed = body.completed ?? false
        try await durably { try await task.update(on: $0) }
        return .ok(.init(body: .json(try TaskResource(task))))
    }

    /// Changes only the fields present in the body; `"description": null` clears the description.
    func updateTask(_ input: Operations.UpdateTask.Input) async throws -> Operations.UpdateTask.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        let sent = try validateTaskFields(title: body.title, description: body.description)
        guard let task = try await callersTask(input.path.taskId) else { return .notFound(.taskNotFound) }
        if let title = body.title { task.title = title }
        if sent.present.contains("description") { task.description = body.description }
        if let completed = body.completed { task.completed = completed }
        try await durably { try await task.update(on: $0) }
        return .ok(.init(body: .json(try TaskResource(task))))
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
