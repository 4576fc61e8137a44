import Foundation
import OpenAPIAsyncHTTPClient
import TaskAPIClient
import Testing
import VaporTesting

@testable import TaskAPI

/// The Swift client library against a real server listening on a loopback port.
@Suite struct ClientTests {
    /// Runs a migrated server on 127.0.0.1 and an ephemeral port, and hands `test` its base URL.
    private func withListeningServer(
        _ database: TestDatabase, adjust: (inout Settings) -> Void = { _ in }, clock: WallClock = .system,
        _ test: (URL) async throws -> Void
    ) async throws {
        try await withTestApp(database, adjust: adjust, clock: clock) { app in
            try await TaskAPITests.withListeningServer(app, test)
        }
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

    @Test(arguments: TestDatabase.all)
    func sessionRenewsAnExpiredAccessTokenOnceForConcurrentCalls(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        let adjust: (inout Settings) -> Void = { $0.accessTokenLifetime = .seconds(30) }
        try await withListeningServer(database, adjust: adjust, clock: clock.wallClock) { url in
            let session = TaskAPISession(serverURL: url)
            try await session.register(username: "swiftclient", password: "secret-password")
            try await session.logIn(username: "swiftclient", password: "secret-password")
            let created = try await session.createTask(title: "Survive expiry")
            let first = try #require(await session.storedTokens())

            // The server's clock passes the token's expiry; the client's has not yet, so it learns from the 401.
            clock.advance(31)
            let tasks = try await withThrowingTaskGroup(of: [TaskResource].self) { group in
                for _ in 0..<4 { group.addTask { try await session.tasks() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(tasks == Array(repeating: [created], count: 4))
            let renewed = try #require(await session.storedTokens())
            #expect(renewed.accessToken != first.accessToken && renewed.refreshToken != first.refreshToken)
            #expect(try await session.task(id: created.id) == created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionChangesThePasswordLogsOutAndDeletesTheAccount(_ database: TestDatabase) async throws {
        try await withListeningServer(database) { url in
            let phone = TaskAPISession(serverURL: url)
            let laptop = TaskAPISession(serverURL: url)
            try await phone.register(username: "swiftclient", password: "secret-password")
            try await phone.logIn(username: "swiftclient", password: "secret-password")
            try await laptop.logIn(username: "swiftclient", password: "secret-password")

            await #expect(throws: TaskAPIError.self) {
                try await phone.changePassword(current: "not-the-password", new: "newer-password")
            }
            try await phone.changePassword(current: "secret-password", new: "newer-password")
            #expect(try await phone.tasks().isEmpty)
            // The laptop's session ended with the change; its token is not expired, so no refresh is tried.
            do {
                _ = try await laptop.tasks()
                Issue.record("the other session must have ended")
            } catch TaskAPIError.unauthorized(let detail) {
                #expect(detail == "Could not validate credentials")
            }

            try await phone.logOut()
            #expect(await phone.storedTokens() == nil)
            await #expect(throws: TaskAPIError.self) { try await phone.tasks() }

            try await laptop.logIn(username: "swiftclient", password: "newer-password")
            do {
                try await laptop.deleteAccount(password: "secret-password")
                Issue.record("a wrong password must be refused")
            } catch TaskAPIError.incorrectPassword(let detail) {
                #expect(detail == "Incorrect password")
            }
            try await laptop.deleteAccount(password: "newer-password")
            await #expect(throws: TaskAPIError.self) {
                try await laptop.logIn(username: "swiftclient", password: "newer-password")
            }
        }
    }
}
