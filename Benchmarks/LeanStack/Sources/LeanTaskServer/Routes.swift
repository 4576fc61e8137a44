import Foundation
import Hummingbird
import JWTKit
import PostgresNIO

extension TaskBody: ResponseEncodable {}

struct NewTask: Decodable {
    let title: String
    let description: String?
    let completed: Bool?
}

struct TaskChange: Decodable {
    let title: String?
    let description: String?
    let completed: Bool?
}

/// The service's access token, as far as this stack reads it: the user, the session and the expiry.
struct AccessClaims: JWTPayload {
    let sub: SubjectClaim
    let sid: String
    let exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
}

/// The task routes with the service's statements: a token check, the caller's session and user in one statement,
/// then the route's statement (in a transaction for a write), and the answer through Hummingbird's `JSONEncoder`.
struct TaskRoutes: Sendable {
    let client: PostgresClient
    let keys: JWTKeyCollection
    let logger: Logger

    static let notAuthenticated = HTTPError(
        .unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "Not authenticated")

    func add(to router: Router<BasicRequestContext>) {
        router.get("tasks/:id") { request, context -> TaskBody in
            let owner = try await caller(of: request)
            let id = try context.parameters.require("id", as: Int.self)
            guard let task = try await rows(of: client.execute(FindTask(id: id, ownerID: owner))).first else {
                throw HTTPError(.notFound, message: "Task not found")
            }
            return task
        }
        router.get("tasks") { request, context -> Response in
            let owner = try await caller(of: request)
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 100
            let offset = request.uri.queryParameters.get("offset", as: Int.self) ?? 0
            var tasks: [TaskBody] = []
            var total = 0
            for try await row in try await client.query(listTasks(ownerID: owner, limit: limit, offset: offset)) {
                // The page's columns and the total, decoded once.
                let columns = try row.decode((Int, String, String?, Bool, Int, Date, Date, Int).self)
                tasks.append(
                    TaskBody(
                        id: columns.0, title: columns.1, description: columns.2, completed: columns.3,
                        ownerID: columns.4, createdAt: columns.5, updatedAt: columns.6))
                total = columns.7
            }
            var response = try context.responseEncoder.encode(tasks, from: request, context: context)
            response.headers[.init("X-Total-Count")!] = String(total)
            return response
        }
        router.post("tasks") { request, context -> EditedResponse<TaskBody> in
            let owner = try await caller(of: request)
            let new = try await request.decode(as: NewTask.self, context: context)
            let insert = InsertTask(
                ownerID: owner, title: new.title, description: new.description, completed: new.completed ?? false,
                now: Date())
            let task = try await client.withTransaction(logger: logger) { connection in
                try await rows(of: connection.execute(insert, logger: logger))[0]
            }
            return EditedResponse(status: .created, response: task)
        }
        router.patch("tasks/:id") { request, context -> TaskBody in
            let owner = try await caller(of: request)
            let id = try context.parameters.require("id", as: Int.self)
            let change = try await request.decode(as: TaskChange.self, context: context)
            let update = UpdateTask(
                id: id, ownerID: owner, title: change.title, setsDescription: change.description != nil,
                description: change.description, completed: change.completed, now: Date())
            let task = try await client.withTransaction(logger: logger) { connection in
                try await rows(of: connection.execute(update, logger: logger)).first
            }
            guard let task else { throw HTTPError(.notFound, message: "Task not found") }
            return task
        }
        router.delete("tasks/:id") { request, context -> HTTPResponse.Status in
            let owner = try await caller(of: request)
            let id = try context.parameters.require("id", as: Int.self)
            let deleted = try await client.withTransaction(logger: logger) { connection in
                try await rows(of: connection.execute(DeleteTask(id: id, ownerID: owner), logger: logger))
            }
            guard !deleted.isEmpty else { throw HTTPError(.notFound, message: "Task not found") }
            return .noContent
        }
    }

    /// The caller's user id: a valid token whose session is live and whose user exists, else 401.
    private func caller(of request: Request) async throws -> Int {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw Self.notAuthenticated
        }
        guard let claims = try? await keys.verify(String(header.dropFirst(7)), as: AccessClaims.self),
            let userID = Int(claims.sub.value), let sessionID = UUID(uuidString: claims.sid)
        else { throw Self.notAuthenticated }
        let lookup = CallerLookup(sessionID: sessionID, userID: userID, now: Date())
        guard let id = try await rows(of: client.execute(lookup)).first else { throw Self.notAuthenticated }
        return id
    }
}

/// Every row of a statement's answer, read to the end so the connection goes back to the pool.
private func rows<Rows: AsyncSequence>(of sequence: Rows) async throws -> [Rows.Element] {
    var rows: [Rows.Element] = []
    for try await row in sequence { rows.append(row) }
    return rows
}
