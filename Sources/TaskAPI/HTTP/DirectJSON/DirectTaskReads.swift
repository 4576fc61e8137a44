import Foundation
import HTTPTypes
import OpenAPIRuntime
import TaskAPIContract

/// Answers the two hottest reads, `GET /tasks` and `GET /tasks/{task_id}`, through the same handlers as the
/// generated code, but writes their JSON with `TaskJSON` instead of the runtime's `JSONEncoder`, which took 30% of
/// a 100-task page's CPU (docs/benchmarks.md). It is the last OpenAPI middleware: authentication and the parameter
/// checks have passed. A request it would have to interpret (an `Accept` header other than JSON or anything, a
/// query item repeated, empty or percent-encoded) and an answer other than 200 or 404 go on to the generated code,
/// which answers them as before. `DirectTaskReadsTests` checks that both give the same bytes.
struct DirectTaskReads: ServerMiddleware {
    /// The handlers the generated code would call: `APIHandlers.listTasks` and `APIHandlers.readTask`.
    let listTasks: @Sendable (Operations.ListTasks.Input) async throws -> Operations.ListTasks.Output
    let readTask: @Sendable (Operations.ReadTask.Input) async throws -> Operations.ReadTask.Output

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard Self.answersInJSON(request.headerFields[.accept]) else { return try await next(request, body, metadata) }
        switch operationID {
        case Operations.ListTasks.id:
            guard let query = Self.listQuery(in: request.path ?? "") else { break }
            // The handler has no other answer today; a new one would be answered by the generated code.
            guard case .ok(let page) = try await listTasks(.init(query: query)) else { break }
            let tasks =
                switch page.body {
                case .json(let tasks): tasks
                }
            var response = HTTPResponse(status: .ok)
            response.headerFields[Self.totalCount] = String(page.headers.xTotalCount)
            return Self.json(TaskJSON.list(tasks), in: response)
        case Operations.ReadTask.id:
            guard let id = metadata.pathParameters["task_id"].flatMap({ Int64($0) }) else { break }
            switch try await readTask(.init(path: .init(taskId: id))) {
            case .ok(let found):
                let task =
                    switch found.body {
                    case .json(let task): task
                    }
                return Self.json(TaskJSON.task(task), in: HTTPResponse(status: .ok))
            case .notFound(let missing):
                let error =
                    switch missing.body {
                    case .json(let error): error
                    }
                return Self.json(TaskJSON.error(error), in: HTTPResponse(status: .notFound))
            default:
                break
            }
        default:
            break
        }
        return try await next(request, body, metadata)
    }

    private static let totalCount = HTTPField.Name("X-Total-Count")!

    /// `response` with a JSON body and the two headers the runtime sets with one, in its order.
    private static func json(_ bytes: [UInt8], in response: HTTPResponse) -> (HTTPResponse, HTTPBody?) {
        var response = response
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        response.headerFields[.contentLength] = String(bytes.count)
        return (response, HTTPBody(bytes))
    }

    /// Whether an `Accept` header, if any, plainly takes JSON. Anything subtler is the runtime's to negotiate.
    static func answersInJSON(_ accept: String?) -> Bool {
        guard let accept else { return true }
        return ["application/json", "*/*", "application/*"].contains(accept.lowercased())
    }

    /// `GET /tasks`'s query when every item is plain: known names at most once, values neither empty nor encoded.
    /// Unknown names are ignored, as the generated code ignores them.
    static func listQuery(in path: String) -> Operations.ListTasks.Input.Query? {
        var query = Operations.ListTasks.Input.Query()
        guard let start = path.firstIndex(of: "?") else { return query }
        var seen: Set<Substring> = []
        for item in path[path.index(after: start)...].split(separator: "&", omittingEmptySubsequences: false) {
            guard !item.contains("%"), !item.contains("+") else { return nil }
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0]
            guard !name.isEmpty, parts.count == 2, seen.insert(name).inserted else { return nil }
            let value = parts[1]
            switch name {
            case "limit":
                guard let limit = Int64(value) else { return nil }
                query.limit = limit
            case "offset":
                guard let offset = Int64(value) else { return nil }
                query.offset = offset
            case "completed":
                guard let completed = Bool(String(value)) else { return nil }
                query.completed = completed
            default:
                continue
            }
        }
        return query
    }
}
