import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// `POST /auth/refresh`: rotation, the reuse grace window, races, and what cannot refresh.
@Suite struct RefreshTokenTests {
    private static let invalidCredentials = #"{"detail":"Could not validate credentials"}"#

    @Test(arguments: TestDatabase.all)
    func refreshRotatesTheTokens(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let first = try await app.loginTokens()
            let response = try await app.refresh(first.refreshToken)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            let second = try response.decoded(Components.Schemas.Token.self)
            #expect(second.refreshToken != first.refreshToken && second.tokenType == .bearer)
            #expect(try await app.send(.GET, "/users/me", token: second.accessToken).status == .ok)
            // The same session goes on: the first access token still works until it expires.
            #expect(try await app.send(.GET, "/users/me", token: first.accessToken).status == .ok)
            let form = try await app.send(
                .POST, "/auth/refresh", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=refresh_token&refresh_token=\(second.refreshToken)")
            #expect(form.status == .ok)
            #expect(try await UserSessionRecord.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func spentTokenReplayedAfterTheGraceWindowRevokesTheSession(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            let first = try await app.loginTokens()
            let second = try await app.refresh(first.refreshToken).decoded(Components.Schemas.Token.self)
            clock.advance(11)
            let replay = try await app.refresh(first.refreshToken)
            #expect(replay.status == .unauthorized && replay.body.string == Self.invalidCredentials)
            // The thief's replay ends the session: its newest refresh token and its access tokens too.
            #expect(try await app.refresh(second.refreshToken).status == .unauthorized)
            let me = try await app.send(.GET, "/users/me", token: second.accessToken)
            #expect(me.status == .unauthorized && me.body.string == Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func spentTokenRetriedWithinTheGraceWindowKeepsTheSession(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            let first = try await app.loginTokens()
            let second = try await app.refresh(first.refreshToken).decoded(Components.Schemas.Token.self)
            clock.advance(9)
            let retry = try await app.refresh(first.refreshToken)
            #expect(retry.status == .unauthorized && retry.body.string == Self.invalidCredentials)
            #expect(try await app.send(.GET, "/users/me", token: second.accessToken).status == .ok)
            #expect(try await app.refresh(second.refreshToken).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentRefreshesOfOneTokenLetExactlyOneThrough(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let token = try await app.loginTokens().refreshToken
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await app.refresh(token).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .unauthorized }.count == 7)
        }
    }

    @Test(arguments: TestDatabase.all)
    func garbageExpiredRevokedAndAccessTokensCannotRefresh(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            let tokens = try await app.loginTokens()
            for presented in ["garbage", tokens.accessToken, String(repeating: "A", count: 43)] {
                let response = try await app.refresh(presented)
                #expect(response.status == .unauthorized && response.body.string == Self.invalidCredentials)
                #expect(response.headers.first(name: "WWW-Authenticate") == "Bearer")
            }
            let other = try await app.loginTokens()
            clock.advance(30 * 86_400 + 1)
            #expect(try await app.refresh(other.refreshToken).status == .unauthorized)

            let revoked = try await app.loginTokens()
            #expect(try await app.send(.POST, "/auth/logout", token: revoked.accessToken).status == .noContent)
            #expect(try await app.refresh(revoked.refreshToken).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func refreshFormNeedsTheRefreshGrantType(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(
                .POST, "/auth/refresh", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=password&refresh_token=whatever")
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == ["body.grant_type:string_pattern_mismatch"])
        }
    }
}
