import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// Two listening servers on one PostgreSQL, as replicas: sessions and throttle counts are the database's, so
/// what happens through one holds through the other.
@Suite struct SharedStateTests {
    static let postgres = TestDatabase.all.filter { if case .postgres = $0 { true } else { false } }

    @Test(.enabled(if: !postgres.isEmpty), arguments: postgres)
    func logoutThroughOneServerIsA401ThroughTheOther(_ database: TestDatabase) async throws {
        try await withTwoTestApps(database) { first, second in
            try await withListeningServer(first) { one in
                try await withListeningServer(second) { two in
                    let credentials = #"{"username":"replicated","password":"secret-password"}"#
                    #expect(try await sendOverWire(.POST, one, "/users", json: credentials).status == .created)
                    let login = try await sendOverWire(.POST, two, "/auth/login", json: credentials)
                    let token = try #require(try login.json["access_token"] as? String)
                    #expect(try await sendOverWire(.GET, one, "/users/me", token: token).status == .ok)
                    #expect(try await sendOverWire(.POST, one, "/auth/logout", token: token).status == .noContent)
                    let after = try await sendOverWire(.GET, two, "/users/me", token: token)
                    #expect(after.status == .unauthorized)
                    #expect(after.body == #"{"detail":"Could not validate credentials"}"#)
                }
            }
        }
    }

    @Test(.enabled(if: !postgres.isEmpty), arguments: postgres)
    func addressAndUsernameLimitsCountThroughBothServers(_ database: TestDatabase) async throws {
        let adjust: (inout Settings) -> Void = {
            $0.throttling.addressLoginFailures = RateLimit(count: 4, window: 300)
            $0.throttling.lockout = LoginLockout(threshold: 2, maximumWait: 900)
        }
        try await withTwoTestApps(database, adjust: adjust, clock: ManualClock().wallClock) { first, second in
            try await withListeningServer(first) { one in
                try await withListeningServer(second) { two in
                    let wrong = #"{"username":"victim","password":"wrong-password"}"#
                    #expect(try await sendOverWire(.POST, one, "/auth/login", json: wrong).status == .unauthorized)
                    #expect(try await sendOverWire(.POST, two, "/auth/login", json: wrong).status == .unauthorized)
                    // Two failures, one through each server: the name now waits, whichever server answers.
                    #expect(try await sendOverWire(.POST, one, "/auth/login", json: wrong).status == .tooManyRequests)
                    let other = #"{"username":"another","password":"wrong-password"}"#
                    #expect(try await sendOverWire(.POST, one, "/auth/login", json: other).status == .unauthorized)
                    #expect(try await sendOverWire(.POST, two, "/auth/login", json: other).status == .unauthorized)
                    // Four failures from 127.0.0.1 across both servers: the address limit is reached on both.
                    let fresh = #"{"username":"fresh","password":"wrong-password"}"#
                    for server in [one, two] {
                        let refused = try await sendOverWire(.POST, server, "/auth/login", json: fresh)
                        #expect(refused.status == .tooManyRequests && refused.headers.first(name: "Retry-After") != nil)
                    }
                }
            }
        }
    }
}
