import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
@_exported import TaskAPIContract

/// A conversation with a Task API server: log in once, then make typed task calls.
///
/// Every call returns the decoded resource or throws a `TaskAPIError`. For anything the shortcuts do not cover,
/// `client` is the full generated client, which already carries the bearer token once logged in. The session
/// keeps the refresh token and renews an expired access token by itself, once per call.
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

    /// Logs in; later calls carry the token, renewed with the refresh token when it expires.
    public func logIn(username: String, password: String) async throws {
        switch try await client.login(body: .json(.init(username: username, password: password))) {
        case .ok(let ok):
            let token = try ok.body.json
            await credentials.use(.init(access: token.accessToken, refresh: token.refreshToken))
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case .tooManyRequests(let wait): throw TaskAPIError(wait)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// The current tokens, to keep in the Keychain between launches; nil when logged out.
    public func storedTokens() async -> (accessToken: String, refreshToken: String?)? {
        await credentials.tokens.map { ($0.access, $0.refresh) }
    }

    /// Resumes a session from tokens kept earlier (`storedTokens()`).
    public func restore(accessToken: String, refreshToken: String?) async {
        await credentials.use(.init(access: accessToken, refresh: refreshToken))
    }

    /// Ends this session on the server, and forgets its tokens even if the server had already ended it.
    public func logOut() async throws {
        switch try await client.logout() {
        case .noContent, .unauthorized: await credentials.use(nil)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// Changes the password; every other session of the user ends, this one goes on.
    public func changePassword(current: String, new: String) async throws {
        switch try await client.changePassword(body: .json(.init(currentPassword: current, newPassword: new))) {
        case .noContent: return
        case .badRequest(let wrong): throw TaskAPIError.incorrectPassword(try wrong.body.json.detail)
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case .unprocessableContent(let invalid): throw TaskAPIError.validation(try invalid.body.json.detail)
        case .tooManyRequests(let wait): throw TaskAPIError(wait)
        case let other: throw TaskAPIError.unexpected(other)
        }
    }

    /// Deletes the account with its tasks and sessions, and forgets the tokens.
    public func deleteAccount(password: String) async throws {
        switch try await client.deleteCurrentUser(body: .json(.init(password: password))) {
        case .noContent: await credentials.use(nil)
        case .badRequest(let wrong): throw TaskAPIError.incorrectPassword(try wrong.body.json.detail)
        case .unauthorized(let refused): throw TaskAPIError.unauthorized(try refused.body.json.detail)
        case .tooManyRequests(let wait): throw TaskAPIError(wait)
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
