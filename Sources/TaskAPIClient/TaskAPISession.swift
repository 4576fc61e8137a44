import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
@_exported import TaskAPIContract

/// A conversation with a Task API server: log in once, then make typed task calls.
///
/// Every call returns the decoded resource or throws a `TaskAPIError`. For anything the shortcuts do not cover,
/// `client` is the full generated client, which already carries the bearer token once logged in.
public struct TaskAPISession: Sendable {
    /// The generated client for every operation of the contract, with the session's token attached.
    public let client: Client
    private let credentials = BearerCredentials()

    /// A session against `serverURL`, over AsyncHTTPClient by default (any `ClientTransport` works, for
    /// example URLSession's on Apple platforms).
    public init(serverURL: URL, transport: any ClientTransport = AsyncHTTPClientTransport()) {
        client = Client(serverURL: serverURL, transport: transport, middlewares: [credentials])
    }

    /// Registers a user.
    @discardableResult
    public func register(username: String, password: String) async throws -> Components.Schemas.User {
        switch try await client.createUser(body: .json(.init(username: username, password: password))) {
        case .created(let created): return try created.body.json
        case .conflict(let conflict): throw TaskAPIError.conflict(try conflict.body.json.detail)
        case .unprocessableContent(let invalid): throw TaskAPIError.validation(try invalid.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// Logs in; later calls carry the token.
    public func logIn(username: String, password: String) async throws {
        switch try await client.login(body: .json(.init(username: username, password: password))) {
        case .ok(let ok): await credentials.use(try ok.body.json.accessToken)
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// The caller's tasks by id.
    public func tasks(completed: Bool? = nil, limit: Int64? = nil, offset: Int64? = nil) async throws -> [TaskResource]
    {
        switch try await client.listTasks(query: .init(limit: limit, offset: offset, completed: completed)) {
        case .ok(let ok): return try ok.body.json
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// Creates a task.
    public func createTask(title: String, description: String? = nil, completed: Bool = false) async throws
        -> TaskResource
    {
        let body = Components.Schemas.TaskCreate(title: title, description: description, completed: completed)
        switch try await client.createTask(body: .json(body)) {
        case .created(let created): return try created.body.json
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case .unprocessableContent(let invalid): throw TaskAPIError.validation(try invalid.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// One of the caller's tasks.
    public func task(id: Int64) async throws -> TaskResource {
        switch try await client.readTask(path: .init(taskId: id)) {
        case .ok(let ok): return try ok.body.json
        case .notFound(let missing): throw TaskAPIError.notFound(try missing.body.json.detail)
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// Changes the given fields of a task (a nil argument leaves its field alone).
    public func updateTask(id: Int64, title: String? = nil, description: String? = nil, completed: Bool? = nil)
        async throws -> TaskResource
    {
        let body = Components.Schemas.TaskUpdate(title: title, description: description, completed: completed)
        switch try await client.updateTask(path: .init(taskId: id), body: .json(body)) {
        case .ok(let ok): return try ok.body.json
        case .notFound(let missing): throw TaskAPIError.notFound(try missing.body.json.detail)
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case .unprocessableContent(let invalid): throw TaskAPIError.validation(try invalid.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// Deletes a task.
    public func deleteTask(id: Int64) async throws {
        switch try await client.deleteTask(path: .init(taskId: id)) {
        case .noContent: return
        case .notFound(let missing): throw TaskAPIError.notFound(try missing.body.json.detail)
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }
}
