import Fluent
import Foundation
import SQLKit
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// Sessions: what a login stores, logout, the caller's list of sessions, ending them, and the purge.
@Suite struct SessionTests {
    private static let invalidCredentials = #"{"detail":"Could not validate credentials"}"#

    @Test(arguments: TestDatabase.all)
    func loginStartsASessionWithAnOpaqueRefreshTokenNeverCached(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            for request in [
                (#"{"username":"testuser","password":"test123"}"#, HTTPMediaType.json),
                ("username=testuser&password=test123", HTTPMediaType.urlEncodedForm),
            ] {
                var headers = HTTPHeaders()
                headers.contentType = request.1
                let response = try await app.send(.POST, "/auth/login", headers: headers, body: request.0)
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .cacheControl) == "no-store")
                #expect(response.headers.first(name: "Pragma") == "no-cache")
                let body = try response.jsonObject
                #expect(
                    Set(body.keys)
                        == ["access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"])
                #expect(body["refresh_expires_in"] as? Int == 30 * 86_400)
                let refresh = try #require(body["refresh_token"] as? String)
                // 256 bits in URL-safe base64, and nothing like a JWT.
                #expect(refresh.count >= 43 && !refresh.contains("."))
                #expect(refresh.unicodeScalars.allSatisfy { CharacterSet.urlSafeBase64.contains($0) })
                let stored = try await RefreshTokenRecord.query(on: app.db).all().compactMap(\.id)
                #expect(!stored.contains(refresh))
                #expect(stored.contains(RefreshToken.digest(of: refresh)))
            }
            #expect(try await UserSessionRecord.query(on: app.db).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func logoutStopsTheAccessTokenAtTheNextRequest(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let tokens = try await app.loginTokens()
            let elsewhere = try await app.login()
            let logout = try await app.send(.POST, "/auth/logout", token: tokens.accessToken)
            #expect(logout.status == .noContent)
            let me = try await app.send(.GET, "/users/me", token: tokens.accessToken)
            #expect(me.status == .unauthorized && me.body.string == Self.invalidCredentials)
            #expect(try await app.send(.POST, "/auth/logout", token: tokens.accessToken).status == .unauthorized)
            // Only that session ended.
            #expect(try await app.send(.GET, "/users/me", token: elsewhere).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExpiredSessionStopsAnAccessTokenThatHasNotExpired(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        // An access token that outlives its session, so only the session check can refuse it.
        let adjust: (inout Settings) -> Void = { $0.accessTokenLifetime = .seconds(40 * 86_400) }
        try await withTestApp(database, adjust: adjust, clock: clock.wallClock) { app in
            try await app.register()
            let token = try await app.login()
            clock.advance(29 * 86_400)
            #expect(try await app.send(.GET, "/users/me", token: token).status == .ok)
            clock.advance(2 * 86_400)
            let expired = try await app.send(.GET, "/users/me", token: token)
            #expect(expired.status == .unauthorized && expired.body.string == Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionsListShowsLiveSessionsAndMarksTheCurrentOne(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            _ = try await app.loginTokens(headers: ["User-Agent": "TaskApp/1.0 (iPhone)"])
            let laptop = try await app.loginTokens(headers: ["User-Agent": "curl/8.0"])
            let ended = try await app.login()
            try await app.send(.POST, "/auth/logout", token: ended)

            let response = try await app.send(.GET, "/users/me/sessions", token: laptop.accessToken)
            #expect(response.status == .ok)
            let sessions = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
            #expect(sessions.count == 2)
            #expect(
                sessions.allSatisfy { Set($0.keys) == ["id", "created_at", "last_used_at", "user_agent", "current"] })
            let current = sessions.filter { $0["current"] as? Bool == true }
            #expect(current.count == 1)
            #expect(current.first?["user_agent"] as? String == "curl/8.0")
            let laptopID = try AuthenticationTests.sessionIDText(of: laptop.accessToken)
            #expect(current.first?["id"] as? String == laptopID)
            #expect(Set(sessions.compactMap { $0["user_agent"] as? String }) == ["curl/8.0", "TaskApp/1.0 (iPhone)"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func endingOneSessionLeavesTheOthers(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let mine = try await app.login()
            let other = try await app.login()
            let otherID = try AuthenticationTests.sessionIDText(of: other)
            let strangersToken = try await app.signUp("stranger", password: "stranger-password")
            let strangersID = try AuthenticationTests.sessionIDText(of: strangersToken)

            let foreign = try await app.send(.DELETE, "/users/me/sessions/\(strangersID)", token: mine)
            #expect(foreign.status == .notFound && foreign.body.string == #"{"detail":"Session not found"}"#)
            #expect(try await app.send(.GET, "/users/me", token: strangersToken).status == .ok)
            let unknown = try await app.send(.DELETE, "/users/me/sessions/\(UUID().uuidString)", token: mine)
            #expect(unknown.status == .notFound)
            let malformed = try await app.send(.DELETE, "/users/me/sessions/not-a-uuid", token: mine)
            #expect(malformed.status == .unprocessableEntity)
            #expect(try malformed.validationErrors == ["path.session_id:uuid_parsing"])

            #expect(try await app.send(.DELETE, "/users/me/sessions/\(otherID)", token: mine).status == .noContent)
            #expect(try await app.send(.GET, "/users/me", token: other).status == .unauthorized)
            #expect(try await app.send(.GET, "/users/me", token: mine).status == .ok)
            #expect(try await app.send(.DELETE, "/users/me/sessions/\(otherID)", token: mine).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func endingAllSessionsIncludesTheCurrentOne(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.register()
            let mine = try await app.loginTokens()
            let other = try await app.login()
            #expect(try await app.send(.DELETE, "/users/me/sessions", token: mine.accessToken).status == .noContent)
            #expect(try await app.send(.GET, "/users/me", token: mine.accessToken).status == .unauthorized)
            #expect(try await app.send(.GET, "/users/me", token: other).status == .unauthorized)
            #expect(try await app.refresh(mine.refreshToken).status == .unauthorized)
            #expect(try await app.login() != "")
        }
    }

    @Test(arguments: TestDatabase.all)
    func newRoutesNeedATokenBeforeAnyValidation(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for (method, path) in [
                (HTTPMethod.POST, "/auth/logout"), (.GET, "/users/me/sessions"), (.DELETE, "/users/me/sessions"),
                (.DELETE, "/users/me/sessions/not-a-uuid"), (.PUT, "/users/me/password"), (.DELETE, "/users/me"),
            ] {
                let response = try await app.send(method, path, json: "{}")
                #expect(response.status == .unauthorized, "\(method) \(path)")
                #expect(response.body.string == #"{"detail":"Not authenticated"}"#, "\(method) \(path)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func endedAndExpiredSessionsArePurgedWithTheirRefreshTokens(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            let ended = try await app.login()
            try await app.send(.POST, "/auth/logout", token: ended)
            _ = try await app.loginTokens()
            clock.advance(2 * 86_400)
            let live = try await app.loginTokens()
            clock.advance(29 * 86_400)
            let service = SessionService.forTests(app, clock: clock)
            try await service.purgeEnded()
            // Only the session that is still live remains, with its one refresh token.
            #expect(try await UserSessionRecord.query(on: app.db).count() == 1)
            #expect(try await RefreshTokenRecord.query(on: app.db).count() == 1)
            #expect(try await app.refresh(live.refreshToken).status == .ok)
        }
    }
}

/// The janitor sweeps when the server starts, then again every interval.
@Suite struct JanitorTests {
    @Test(arguments: TestDatabase.all)
    func theJanitorSweepsAtOnceAndThenEveryInterval(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            let sessions = SessionService.forTests(app, clock: clock)
            let throttle = LoginThrottle(Settings.Throttling(), database: { app.db }, clock: clock.wallClock)
            let janitor = Janitor(
                sessions: sessions, throttle: throttle, logger: app.logger, interval: .milliseconds(300))
            let sessionCount = { try await UserSessionRecord.query(on: app.db).count() }
            let swept = { (expected: Int) async throws -> Bool in
                for _ in 0..<100 where try await sessionCount() != expected {
                    try await Task.sleep(for: .milliseconds(20))
                }
                return try await sessionCount() == expected
            }

            // A revoked session is kept for a day after its logout.
            try await app.send(.POST, "/auth/logout", token: try await app.login())
            clock.advance(2 * 86_400)
            _ = try await app.login()
            janitor.start()
            #expect(try await swept(1), "the first sweep comes at start-up")
            try await app.send(.POST, "/auth/logout", token: try await app.login())
            #expect(try await sessionCount() == 2)
            clock.advance(2 * 86_400)
            #expect(try await swept(1), "the next sweep comes an interval later")
            await janitor.shutdownAsync(app)
        }
    }
}

extension SessionService {
    /// The service as `configure` builds it, on the test app's database and a clock the test moves.
    static func forTests(_ app: Application, clock: ManualClock) -> SessionService {
        SessionService(
            policy: SessionPolicy(refreshLifetime: .seconds(30 * 86_400)),
            tokens: AccessTokens(keys: app.jwt.keys, lifetime: .seconds(60), issuer: "task-api", audience: "task-api"),
            database: { app.db }, clock: clock.wallClock, writeDeadline: .seconds(2))
    }
}

extension CharacterSet {
    static let urlSafeBase64 = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}
