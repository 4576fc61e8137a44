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
        try ValidationFailure.check(TaskRules.violations(title: body.title, description: body.description))
        guard let task = try await callersTask(input.path.taskId) else { return .notFound(.taskNotFound) }
        task.title = body.title
        task.description = body.description
        task.completed = body.completed ?? false
        try await task.update(on: database())
        return .ok(.init(body: .json(try TaskResource(task))))
    }

    /// Changes only the fields present in the body; `"description": null` clears the description.
    func updateTask(_ input: Operations.UpdateTask.Input) async throws -> Operations.UpdateTask.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        // The generated type cannot tell an absent field from a null one; the raw body can.
        let sent = try SentJSONFields.ofCurrentRequest()
        var violations = TaskRules.violations(title: body.title, description: body.description)
        if sent.contains("title"), body.title == nil {
            violations.append(FieldViolation.wrongType(path: ["title"], expected: String.self))
        }
        if sent.contains("completed"), body.completed == nil {
            violations.append(FieldViolation.wrongType(path: ["completed"], expected: Bool.self))
        }
        try ValidationFailure.check(violations)
        guard let task = try await callersTask(input.path.taskId) else { return .notFound(.taskNotFound) }
        if let title = body.title { task.title = title }
        if sent.contains("description") { task.description = body.description }
        if let completed = body.completed { task.completed = completed }
        try await task.update(on: database())
        return .ok(.init(body: .json(try TaskResource(task))))
    }
}

/// The top-level keys of the current request's JSON object body.
enum SentJSONFields {
    static func ofCurrentRequest() throws -> Set<String> {
        guard let body = CurrentRequest.value?.body.data,
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        else { return [] }
        return Set(object.keys)
    }
}
