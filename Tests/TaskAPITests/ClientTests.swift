import Foundation
import OpenAPIAsyncHTTPClient
import TaskAPIClient
import Testing
import VaporTesting

@testable import TaskAPI

/// The Swift client library against a real server listening on a loopback port.
@Suite struct ClientTests {
    /// Runs a migrated server on 127.0.0.1 and an ephemeral port, and hands `test` its base URL.
    private func withListeningServer(_ database: TestDatabase, _ test: (URL) async throws -> Void) async throws {
        try await withTestApp(database) { app in try await TaskAPITests.withListeningServer(app, test) }
    }

    @Test(arguments: TestDatabase.all)
    func sessionRegistersLogsInAndManagesTasks(_ database: TestDatabase) async throws {
        try await withListeningServer(database) { url in
            let session = TaskAPISession(serverURL: url)
            let user = try await session.register(username: "swiftclient", password: "secret-password")
            #expect(user.username == "swiftclient")
            try await session.logIn(username: "swiftclient", password: "secret-password")

            let created = try await session.createTask(title: "Ship the client", description: "with tests")
            #expect(created.ownerID == user.id && !created.completed && created.description == "with tests")
            #expect(try await session.task(id: created.id) == created)
            let done = try await session.updateTask(id: created.id, completed: true)
            #expect(done.completed && done.title == "Ship the client")
            #expect(try await session.tasks(completed: true) == [done])
            #expect(try await session.tasks(completed: false).isEmpty)
            try await session.deleteTask(id: created.id)
            #expect(try await session.tasks().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unauthorizedAndNotFoundArriveAsTypedResponses(_ database: TestDatabase) async throws {
        try await withListeningServer(database) { url in
            let session = TaskAPISession(serverURL: url)
            guard case .unauthorized(let refused) = try await session.client.listTasks() else {
                Issue.record("expected 401 without a token")
                return
            }
            #expect(try refused.body.json.detail == "Not authenticated")
            #expect(refused.headers.wwwAuthenticate == .bearer)

            try await session.register(username: "swiftclient", password: "secret-password")
            try await session.logIn(username: "swiftclient", password: "secret-password")
            guard case .notFound(let missing) = try await session.client.readTask(path: .init(taskId: 404)) else {
                Issue.record("expected 404 for a missing task")
                return
            }
            #expect(try missing.body.json.detail == "Task not found")
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionThrowsTheServersRefusals(_ database: TestDatabase) async throws {
        try await withListeningServer(database) { url in
            let session = TaskAPISession(serverURL: url)
            await #expect(throws: TaskAPIError.self) { try await session.logIn(username: "nobody", password: "secret") }
            try await session.register(username: "swiftclient", password: "secret-password")
            do {
                try await session.register(username: "SwiftClient", password: "secret-password")
                Issue.record("a taken username must be refused")
            } catch TaskAPIError.conflict(let detail) {
                #expect(detail == "Username already registered")
            }
            try await session.logIn(username: "swiftclient", password: "secret-password")
            do {
                _ = try await session.createTask(title: "")
                Issue.record("an empty title must be refused")
            } catch TaskAPIError.validation(let errors) {
                #expect(errors.map(\._type) == ["string_too_short"])
            }
            do {
                try await session.deleteTask(id: 999)
                Issue.record("a missing task must be refused")
            } catch TaskAPIError.notFound(let detail) {
                #expect(detail == "Task not found")
            }
        }
    }
}
