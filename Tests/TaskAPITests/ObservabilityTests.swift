import Fluent
import Foundation
import Synchronization
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// Request ids, log lines and metrics.
@Suite struct ObservabilityTests {
    @Test(arguments: TestDatabase.all)
    func requestIDIsKeptWhenWellFormedAndReplacedOtherwise(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let kept = try await app.send(.GET, "/health", headers: ["X-Request-ID": "client-42.retry_1"])
            #expect(kept.headers.first(name: "X-Request-ID") == "client-42.retry_1")
            for bad in ["has space", String(repeating: "a", count: 129), "line\u{0B}break", "ünïcode"] {
                let response = try await app.send(.GET, "/tasks", headers: ["X-Request-ID": bad])
                let id = try #require(response.headers.first(name: "X-Request-ID"))
                #expect(id != bad && RequestID.accepted(id) == id)
            }
            for path in ["/health", "/nowhere", "/tasks/abc"] {
                #expect(try await app.send(.GET, path).headers.first(name: "X-Request-ID")?.isEmpty == false)
            }
        }
    }

    // The log tests go through a listening server: only real connections pass through Vapor's HTTP decoder, whose
    // trace lines print request heads and bodies, and only their request loggers derive from the application's.

    @Test(arguments: TestDatabase.all, ServiceLogHandler.Format.allCases)
    func noLogLineHoldsATokenAPasswordOrAHash(_ database: TestDatabase, _ format: ServiceLogHandler.Format)
        async throws
    {
        let capture = LogCapture()
        let adjust: (inout Settings) -> Void = { $0.logLevel = .trace }
        let secrets = Mutex<[String]>(["first-secret-password", "second-secret-password"])
        try await withTestApp(database, adjust: adjust, logger: capture.logger(format: format)) { app in
            try await withListeningServer(app) { url in
                let credentials = #"{"username":"logged","password":"first-secret-password"}"#
                #expect(try await sendOverWire(.POST, url, "/users", json: credentials).status == .created)
                let login = try await sendOverWire(.POST, url, "/auth/login", json: credentials)
                let access = try #require(try login.json["access_token"] as? String)
                let refresh = try #require(try login.json["refresh_token"] as? String)
                let refreshed = try await sendOverWire(
                    .POST, url, "/auth/refresh", json: #"{"refresh_token":"\#(refresh)"}"#)
                let newAccess = try #require(try refreshed.json["access_token"] as? String)
                let newRefresh = try #require(try refreshed.json["refresh_token"] as? String)
                _ = try await sendOverWire(.GET, url, "/users/me", token: newAccess)
                let change = #"{"current_password":"first-secret-password","new_password":"second-secret-password"}"#
                _ = try await sendOverWire(.PUT, url, "/users/me/password", json: change, token: newAccess)
                let hash = try #require(try await UserRecord.query(on: app.db).first()).passwordHash
                _ = try await sendOverWire(
                    .DELETE, url, "/users/me", json: #"{"password":"second-secret-password"}"#, token: newAccess)
                secrets.withLock { $0 += [access, refresh, newAccess, newRefresh, hash] }
            }
        }
        let lines = capture.all
        #expect(lines.contains { $0.contains("/auth/refresh") || $0.contains("auth/refresh") })
        for secret in secrets.withLock({ $0 }) {
            #expect(!lines.contains { $0.contains(secret) }, "a log line holds \(secret.prefix(12))...")
        }
    }

    @Test(arguments: TestDatabase.all)
    func jsonAccessLinesCarryTheRequestIDMethodRouteStatusAndDuration(_ database: TestDatabase) async throws {
        let capture = LogCapture()
        let adjust: (inout Settings) -> Void = { $0.logLevel = .info }
        try await withTestApp(database, adjust: adjust, logger: capture.logger(format: .json)) { app in
            try await withListeningServer(app) { url in
                _ = try await sendOverWire(.GET, url, "/tasks/17", headers: ["X-Request-ID": "find-me"])
            }
        }
        let objects = capture.all.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == capture.all.count, "every line is one JSON object")
        let access = try #require(objects.first { $0["request_id"] as? String == "find-me" })
        #expect(access["message"] as? String == "request" && access["level"] as? String == "info")
        #expect(access["method"] as? String == "GET" && access["route"] as? String == "/tasks/:task_id")
        #expect(access["status"] as? Int == 401 && access["duration_ms"] is Double && access["time"] is String)
    }

    @Test func aRequestWithoutAnIDGetsAFreshVersion4UUIDThatItsAccessLineCarries() async throws {
        let capture = LogCapture()
        let adjust: (inout Settings) -> Void = { $0.logLevel = .info }
        let seen = Mutex<[String]>([])
        try await withTestApp(.sqlite, adjust: adjust, logger: capture.logger(format: .json)) { app in
            try await withListeningServer(app) { url in
                for _ in 0..<2 {
                    let response = try await sendOverWire(.GET, url, "/tasks")
                    let id = try #require(response.headers.first(name: "X-Request-ID"))
                    seen.withLock { $0.append(id) }
                }
            }
        }
        let ids = seen.withLock { $0 }
        #expect(ids.count == 2 && ids[0] != ids[1])
        for id in ids {
            let uuid = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(uuid.uuidString == id, "upper-case, as before")
            #expect(uuid.uuid.6 >> 4 == 4 && uuid.uuid.8 >> 6 == 0b10, "\(id) is not a random (version 4) UUID")
            let line = capture.all.first { $0.contains(#""request_id":"\#(id)""#) }
            #expect(line?.contains(#""message":"request""#) == true, "no access line for \(id)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func metricsAreOffUnlessEnabledAndThenNeedTheirToken(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let disabled = try await app.send(.GET, "/metrics")
            #expect(disabled.status == .notFound)
        }
        let adjust: (inout Settings) -> Void = {
            $0.observability.metricsEnabled = true
            $0.observability.metricsToken = "metrics-token-for-tests"
        }
        _ = TestMetrics.registry
        try await withTestApp(database, adjust: adjust) { app in
            #expect(try await app.send(.GET, "/metrics").status == .unauthorized)
            #expect(try await app.send(.GET, "/metrics", token: "wrong-token").status == .unauthorized)
            let metrics = try await app.send(.GET, "/metrics", token: "metrics-token-for-tests")
            #expect(metrics.status == .ok)
            #expect(metrics.headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func requestsAreNotCountedWhileMetricsAreOff(_ database: TestDatabase) async throws {
        _ = TestMetrics.registry
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            // A method and status no test with metrics on sends to this route.
            let missing = try await app.send(.PATCH, "/tasks/999999", json: #"{"completed":true}"#, token: token)
            #expect(missing.status == .notFound)
        }
        var text: [UInt8] = []
        TestMetrics.registry.emit(into: &text)
        #expect(!String(decoding: text, as: UTF8.self).contains(#"method="PATCH",path="/tasks/:task_id""#))
    }

    @Test(arguments: TestDatabase.all)
    func metricsCountRequestsByRoutePatternAndTheServicesOwnEvents(_ database: TestDatabase) async throws {
        _ = TestMetrics.registry
        let clock = ManualClock()
        let adjust: (inout Settings) -> Void = {
            $0.observability.metricsEnabled = true
            $0.throttling.lockout = LoginLockout(threshold: 1, maximumWait: 60)
        }
        try await withTestApp(database, adjust: adjust, clock: clock.wallClock) { app in
            let token = try await app.signUp()
            _ = try await app.send(.GET, "/tasks/17", token: token)
            _ = try await app.send(.POST, "/auth/login", json: #"{"username":"testuser","password":"wrong-one"}"#)
            _ = try await app.send(.POST, "/auth/login", json: #"{"username":"testuser","password":"test123"}"#)
            clock.advance(2)
            let tokens = try await app.loginTokens()
            _ = try await app.refresh(tokens.refreshToken)
            clock.advance(11)
            _ = try await app.refresh(tokens.refreshToken)
            try await app.send(.POST, "/auth/logout", token: token)

            let text = try await app.send(.GET, "/metrics").body.string
            for series in [
                #"http_requests_total{method="GET",path="/tasks/:task_id",status="404"}"#,
                #"taskapi_logins_total{outcome="success"}"#, #"taskapi_logins_total{outcome="failure"}"#,
                #"taskapi_logins_total{outcome="throttled"}"#, #"taskapi_token_refreshes_total{outcome="success"}"#,
                #"taskapi_token_refreshes_total{outcome="reuse"}"#, "taskapi_refresh_reuse_detected_total",
                #"taskapi_sessions_revoked_total{reason="logout"}"#, #"taskapi_sessions_revoked_total{reason="reuse"}"#,
            ] {
                #expect(text.contains(series), "missing \(series)")
            }
            #expect(!text.contains("/tasks/17"))
        }
    }
}
