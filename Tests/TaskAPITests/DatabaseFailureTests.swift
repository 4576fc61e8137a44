import FluentPostgresDriver
import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// A database that cannot be reached: what needs it gets a quick 503, what does not keeps working.
@Suite struct DatabaseFailureTests {
    /// A PostgreSQL address where nothing listens.
    private static let unreachable = Settings.Database.postgres(url: "postgres://postgres@127.0.0.1:1/nowhere")

    private func withUnreachableDatabase(_ test: (Application) async throws -> Void) async throws {
        var settings = testSettings(Self.unreachable)
        settings.resilience.databaseTimeout = .seconds(1)
        try await withApp(configure: { try await configure($0, settings: settings) }, test)
    }

    @Test func requestsThatNeedTheDatabaseGetAQuick503() async throws {
        try await withUnreachableDatabase { app in
            // A well-signed token: its check needs the session row, so the database.
            let token = try await app.jwt.keys.sign(
                AccessTokenClaims(
                    sub: "1", sid: UUID().uuidString, iss: "task-api", aud: "task-api", iat: .init(value: Date()),
                    exp: .init(value: Date(timeIntervalSinceNow: 60))))
            for (method, path, json) in [
                (HTTPMethod.GET, "/tasks", nil), (.POST, "/tasks", #"{"title":"x"}"#), (.GET, "/users/me", nil),
            ] {
                let started = ContinuousClock.now
                let response = try await app.send(method, path, json: json, token: token)
                // Never a hang. The bound itself (DATABASE_TIMEOUT) is measured by scripts/fault-test.sh on a quiet
                // server: here, the whole suite's bcrypt work shares the thread pool that resolves the address.
                #expect(ContinuousClock.now - started < .seconds(20))
                #expect(response.status == .serviceUnavailable, "\(method) \(path)")
                #expect(response.body.string == #"{"detail":"Service Unavailable"}"#)
                #expect(response.headers.first(name: "Retry-After") == "1")
            }
            for (path, json) in [
                ("/users", #"{"username":"someone","password":"secret-password"}"#),
                ("/auth/login", #"{"username":"someone","password":"secret-password"}"#),
            ] {
                #expect(try await app.send(.POST, path, json: json).status == .serviceUnavailable, "\(path)")
            }
        }
    }

    @Test func requestsThatDoNotNeedTheDatabaseKeepWorking() async throws {
        try await withUnreachableDatabase { app in
            #expect(try await app.send(.GET, "/health").status == .ok)
            #expect(try await app.send(.GET, "/openapi.json").status == .ok)
            #expect(try await app.send(.GET, "/docs").status == .ok)
            let anonymous = try await app.send(.GET, "/tasks")
            #expect(anonymous.status == .unauthorized && anonymous.body.string == #"{"detail":"Not authenticated"}"#)
            let ready = try await app.send(.GET, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
        }
    }

    @Test func onlyAvailabilityErrorsCountAsTheDatabaseBeingDown() {
        #expect(DatabaseUnavailable.matches(ConnectionPoolTimeoutError.connectionRequestTimeout))
        #expect(!DatabaseUnavailable.matches(APIError.invalidToken))
        #expect(!DatabaseUnavailable.matches(DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: ""))))
    }
}

/// A statement that outlives `DATABASE_TIMEOUT` on PostgreSQL: `statement_timeout` cancels it, the request gets
/// 503, and the connection serves the next request. For `/tasks/1` the cancelled statement is the first run of a
/// prepared statement, whose failed preparation PostgresNIO would otherwise remember for the connection's life.
@Suite struct SlowStatementTests {
    @Test(
        .enabled(if: !SharedStateTests.postgres.isEmpty), arguments: SharedStateTests.postgres, ["/tasks", "/tasks/1"])
    func aStatementPastTheDeadlineIsCancelledAndAnswered503(_ database: TestDatabase, path: String) async throws {
        var url: String?
        let adjust: (inout Settings) -> Void = { settings in
            settings.resilience.databaseTimeout = .seconds(1)
            // One connection per event loop, so the requests after the timeout use the one it happened on.
            settings.databasePoolSize = 1
            if case .postgres(let location) = settings.database { url = location }
        }
        try await withTestApp(database, adjust: adjust) { app in
            let token = try await app.signUp()
            _ = try await app.createTask(token: token)
            // Another client holds a lock the statement must wait for, longer than the deadline.
            let settings = try SQLPostgresConfiguration(url: try #require(url))
            let blocker = try await PostgresConnection.connect(
                configuration: settings.coreConfiguration, id: 1, logger: Logger(label: "blocker"))
            try await blocker.query("BEGIN", logger: blocker.logger)
            try await blocker.query("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE", logger: blocker.logger)

            // Released after 5 s at the latest, so a missing statement_timeout fails the test instead of hanging it.
            let release = Task {
                try? await Task.sleep(for: .seconds(5))
                _ = try? await blocker.query("ROLLBACK", logger: blocker.logger)
            }
            let started = ContinuousClock.now
            let blocked = try await app.send(.GET, path, token: token)
            let waited = ContinuousClock.now - started
            release.cancel()
            try await blocker.query("ROLLBACK", logger: blocker.logger)
            try await blocker.close()

            #expect(blocked.status == .serviceUnavailable)
            #expect(blocked.headers.first(name: "Retry-After") == "1")
            #expect(waited >= .milliseconds(900) && waited < .seconds(8))
            for _ in 1...4 {
                #expect(try await app.send(.GET, path, token: token).status == .ok)
            }
        }
    }
}
