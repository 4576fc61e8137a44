import Fluent
import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// Changing the password and deleting the account, both confirmed with the current password.
@Suite struct AccountTests {
    private static let incorrectPassword = #"{"detail":"Incorrect password"}"#

    @Test(arguments: TestDatabase.all)
    func passwordChangeEndsTheOtherSessionsOnly(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let current = try await app.loginTokens()
            let other = try await app.loginTokens()

            let wrong = try await app.send(
                .PUT, "/users/me/password", json: #"{"current_password":"nope-nope","new_password":"better-secret"}"#,
                token: current.accessToken)
            #expect(wrong.status == .badRequest && wrong.body.string == Self.incorrectPassword)
            let weak = try await app.send(
                .PUT, "/users/me/password", json: #"{"current_password":"test123","new_password":"12345"}"#,
                token: current.accessToken)
            #expect(weak.status == .unprocessableEntity)
            #expect(try weak.validationErrors == ["body.new_password:string_too_short"])
            #expect(try await app.send(.GET, "/users/me", token: other.accessToken).status == .ok)

            let changed = try await app.send(
                .PUT, "/users/me/password", json: #"{"current_password":"test123","new_password":"better-secret"}"#,
                token: current.accessToken)
            #expect(changed.status == .noContent)
            #expect(try await app.send(.GET, "/users/me", token: current.accessToken).status == .ok)
            #expect(try await app.refresh(current.refreshToken).status == .ok)
            #expect(try await app.send(.GET, "/users/me", token: other.accessToken).status == .unauthorized)
            #expect(try await app.refresh(other.refreshToken).status == .unauthorized)

            let oldLogin = try await app.send(
                .POST, "/auth/login", json: #"{"username":"testuser","password":"test123"}"#)
            #expect(oldLogin.status == .unauthorized)
            _ = try await app.login(password: "better-secret")
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletedAccountLosesItsTokensTasksAndSessionsAndFreesTheName(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let tokens = try await app.loginTokens()
            let otherSession = try await app.login()
            _ = try await app.createTask(token: tokens.accessToken)
            let keeper = try await app.signUp("keeper", password: "keeper-password")
            _ = try await app.createTask(token: keeper)

            let wrong = try await app.send(
                .DELETE, "/users/me", json: #"{"password":"not-it"}"#, token: tokens.accessToken)
            #expect(wrong.status == .badRequest && wrong.body.string == Self.incorrectPassword)
            #expect(try await app.send(.GET, "/users/me", token: tokens.accessToken).status == .ok)

            let deleted = try await app.send(
                .DELETE, "/users/me", json: #"{"password":"test123"}"#, token: tokens.accessToken)
            #expect(deleted.status == .noContent)
            for token in [tokens.accessToken, otherSession] {
                let me = try await app.send(.GET, "/users/me", token: token)
                #expect(me.status == .unauthorized && me.body.string == #"{"detail":"Could not validate credentials"}"#)
            }
            #expect(try await app.refresh(tokens.refreshToken).status == .unauthorized)
            #expect(try await TaskRecord.query(on: app.db).count() == 1)
            #expect(try await UserSessionRecord.query(on: app.db).count() == 1)
            #expect(try await RefreshTokenRecord.query(on: app.db).count() == 1)

            #expect(try await app.register().status == .created)
            let reborn = try await app.login()
            #expect(try await app.send(.GET, "/tasks", token: reborn).body.string == "[]")
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongConfirmationPasswordsCountTowardsTheLoginWait(_ database: TestDatabase) async throws {
        // A clock that stands still, so the 1 s wait cannot pass while the test runs.
        let clock = ManualClock()
        try await withTestApp(database, adjust: { $0.throttling.lockout.threshold = 2 }, clock: clock.wallClock) {
            app in
            let token = try await app.signUp()
            for _ in 0..<2 {
                let wrong = try await app.send(.DELETE, "/users/me", json: #"{"password":"guess-guess"}"#, token: token)
                #expect(wrong.status == .badRequest)
            }
            // A stolen access token cannot guess the password faster than a login could.
            let locked = try await app.send(.DELETE, "/users/me", json: #"{"password":"test123"}"#, token: token)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers.first(name: "Retry-After") == "1")
            let login = try await app.send(.POST, "/auth/login", json: #"{"username":"testuser","password":"test123"}"#)
            #expect(login.status == .tooManyRequests)
        }
    }
}
