import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// The original README's walk-through, step by step, as an evaluator runs it.
@Suite struct EvaluatorFlowTests {
    @Test(arguments: TestDatabase.all)
    func theSixStepsOfTheOriginalReadmeWorkInOrder(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // 1. Creating a task without a token is refused.
            let anonymous = try await app.send(.POST, "/tasks", json: #"{"title":"Buy milk"}"#)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.body.string == #"{"detail":"Not authenticated"}"#)

            // 2. Register.
            let registered = try await app.register("testuser", password: "test123")
            #expect(registered.status == .created)
            #expect(registered.body.string == #"{"id":1,"username":"testuser"}"#)

            // 3. Log in for a bearer token.
            let login = try await app.send(.POST, "/auth/login", json: #"{"username":"testuser","password":"test123"}"#)
            #expect(login.status == .ok)
            let token = try login.decoded(Components.Schemas.Token.self)
            #expect(token.tokenType == .bearer)
            #expect(token.expiresIn == 1800)

            // 4-5. Authorized, list the users.
            let users = try await app.send(.GET, "/users", token: token.accessToken)
            #expect(users.status == .ok)
            #expect(users.body.string == #"[{"id":1,"username":"testuser"}]"#)

            // 6. The protected task CRUD.
            let created = try await app.createTask(
                #"{"title":"Buy milk","description":"2 litres"}"#, token: token.accessToken)
            #expect(created.title == "Buy milk")
            #expect(created.ownerID == 1)
            let listed = try await app.send(.GET, "/tasks", token: token.accessToken)
            #expect(try listed.decoded([TaskResource].self) == [created])
            let read = try await app.send(.GET, "/tasks/\(created.id)", token: token.accessToken)
            #expect(try read.decoded(TaskResource.self) == created)
            let replaced = try await app.send(
                .PUT, "/tasks/\(created.id)", json: #"{"title":"Buy oat milk","completed":true}"#,
                token: token.accessToken)
            #expect(replaced.status == .ok)
            #expect(try replaced.decoded(TaskResource.self).completed)
            let deleted = try await app.send(.DELETE, "/tasks/\(created.id)", token: token.accessToken)
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            let gone = try await app.send(.GET, "/tasks/\(created.id)", token: token.accessToken)
            #expect(gone.status == .notFound)
        }
    }
}
