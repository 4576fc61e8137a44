import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// The doubling wait per username, and the limits per client address.
@Suite struct ThrottlingTests {
    private static let tooManyLogins = #"{"detail":"Too many login attempts"}"#

    private func login(_ app: Application, _ password: String, as username: String = "testuser")
        async throws -> TestingHTTPResponse
    {
        try await app.send(.POST, "/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    /// Asserts that a login is refused with 429 and the given `Retry-After`.
    private func expectWait(
        _ response: TestingHTTPResponse, seconds: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .tooManyRequests, sourceLocation: sourceLocation)
        #expect(response.body.string == Self.tooManyLogins, sourceLocation: sourceLocation)
        #expect(response.headers.first(name: "Retry-After") == String(seconds), sourceLocation: sourceLocation)
    }

    // Clocks move a hair past each wait's end: stored times round to the database's precision.
    // Every test here that depends on a wait runs on a clock that moves only when told: a busy machine must not
    // let a 1 s wait pass mid-test.

    @Test(arguments: TestDatabase.all)
    func waitsDoubleAfterTheThresholdAndHoldEvenForTheRightPassword(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            for _ in 0..<5 { #expect(try await login(app, "wrong-one").status == .unauthorized) }
            expectWait(try await login(app, "test123"), seconds: 1)
            clock.advance(1.001)
            #expect(try await login(app, "wrong-one").status == .unauthorized)
            expectWait(try await login(app, "wrong-one"), seconds: 2)
            clock.advance(0.5)
            expectWait(try await login(app, "test123"), seconds: 2)  // 1.5 s left, rounded up
            clock.advance(1.501)
            #expect(try await login(app, "wrong-one").status == .unauthorized)
            expectWait(try await login(app, "test123"), seconds: 4)
            clock.advance(4.001)
            // The right password after the wait logs in and starts the count again.
            #expect(try await login(app, "test123").status == .ok)
            #expect(try await login(app, "wrong-one").status == .unauthorized)
            #expect(try await login(app, "test123").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWaitStopsGrowingAtItsMaximum(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        let adjust: (inout Settings) -> Void = {
            $0.throttling.lockout = LoginLockout(threshold: 2, maximumWait: 3)
        }
        try await withTestApp(database, adjust: adjust, clock: clock.wallClock) { app in
            try await app.register()
            for expected in [nil, 1, 2, 3, 3] as [Int?] {
                #expect(try await login(app, "wrong-one").status == .unauthorized)
                if let expected {
                    expectWait(try await login(app, "test123"), seconds: expected)
                    clock.advance(Double(expected) + 0.001)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func failuresOlderThanTwelveHoursAreForgotten(_ database: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestApp(database, clock: clock.wallClock) { app in
            try await app.register()
            for _ in 0..<4 { #expect(try await login(app, "wrong-one").status == .unauthorized) }
            clock.advance(12 * 3600 + 1)
            // Without the reset this would be the fifth failure in a row, and the name would wait.
            #expect(try await login(app, "wrong-one").status == .unauthorized)
            #expect(try await login(app, "test123").status == .ok)
            for _ in 0..<4 { #expect(try await login(app, "wrong-one").status == .unauthorized) }
            clock.advance(3600)
            #expect(try await login(app, "wrong-one").status == .unauthorized)
            expectWait(try await login(app, "test123"), seconds: 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownUsernamesAndOtherLetterCasesWaitTheSame(_ database: TestDatabase) async throws {
        try await withTestApp(database, clock: ManualClock().wallClock) { app in
            for _ in 0..<5 { #expect(try await login(app, "whatever", as: "ghost").status == .unauthorized) }
            expectWait(try await login(app, "whatever", as: "ghost"), seconds: 1)
            expectWait(try await login(app, "whatever", as: "GHOST"), seconds: 1)

            try await app.register()
            for _ in 0..<5 { #expect(try await login(app, "wrong-one", as: "TestUser").status == .unauthorized) }
            expectWait(try await login(app, "test123", as: "testuser"), seconds: 1)
            // Another name is not affected.
            #expect(try await login(app, "whatever", as: "someone").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func failedLoginsAndRefreshesFromOneAddressAreCapped(_ database: TestDatabase) async throws {
        let adjust: (inout Settings) -> Void = {
            $0.throttling.addressLoginFailures = RateLimit(count: 3, window: 300)
        }
        try await withTestApp(database, adjust: adjust, clock: ManualClock().wallClock) { app in
            try await withListeningServer(app) { url in
                let register = #"{"username":"testuser","password":"test123"}"#
                #expect(try await sendOverWire(.POST, url, "/users", json: register).status == .created)
                for name in ["alice", "bob"] {
                    let response = try await sendOverWire(
                        .POST, url, "/auth/login", json: #"{"username":"\#(name)","password":"guess-1"}"#)
                    #expect(response.status == .unauthorized)
                }
                let badRefresh = try await sendOverWire(
                    .POST, url, "/auth/refresh", json: #"{"refresh_token":"stolen-or-garbage"}"#)
                #expect(badRefresh.status == .unauthorized)
                // Three failures from 127.0.0.1: every login and refresh from it now waits, right password or not.
                let login = try await sendOverWire(.POST, url, "/auth/login", json: register)
                #expect(login.status == .tooManyRequests)
                #expect(login.body == Self.tooManyLogins)
                let retryAfter = try #require(Int(login.headers.first(name: "Retry-After") ?? ""))
                #expect(retryAfter == 300)
                let refresh = try await sendOverWire(
                    .POST, url, "/auth/refresh", json: #"{"refresh_token":"anything"}"#)
                #expect(refresh.status == .tooManyRequests && refresh.headers.first(name: "Retry-After") != nil)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func registrationsFromOneAddressAreCapped(_ database: TestDatabase) async throws {
        let adjust: (inout Settings) -> Void = {
            $0.throttling.addressRegistrations = RateLimit(count: 2, window: 3600)
        }
        try await withTestApp(database, adjust: adjust) { app in
            try await withListeningServer(app) { url in
                for name in ["first", "second"] {
                    let body = #"{"username":"\#(name)","password":"secret-password"}"#
                    #expect(try await sendOverWire(.POST, url, "/users", json: body).status == .created)
                }
                let third = try await sendOverWire(
                    .POST, url, "/users", json: #"{"username":"third","password":"secret-password"}"#)
                #expect(third.status == .tooManyRequests)
                #expect(third.body == #"{"detail":"Too many registrations"}"#)
                #expect(third.headers.first(name: "Retry-After").flatMap(Int.init).map { $0 > 3500 } == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func rateLimitsOffLiftsTheAddressLimitsButNeverTheUsernameWait(_ database: TestDatabase) async throws {
        let adjust: (inout Settings) -> Void = {
            $0.throttling.addressLimitsEnabled = false
            $0.throttling.addressLoginFailures = RateLimit(count: 1, window: 300)
            $0.throttling.addressRegistrations = RateLimit(count: 1, window: 3600)
        }
        try await withTestApp(database, adjust: adjust, clock: ManualClock().wallClock) { app in
            try await withListeningServer(app) { (url) async throws in
                for name in ["first", "second", "third"] {
                    let body = #"{"username":"\#(name)","password":"secret-password"}"#
                    #expect(try await sendOverWire(.POST, url, "/users", json: body).status == .created)
                }
                let wrong = #"{"username":"first","password":"wrong-password"}"#
                for _ in 0..<5 {
                    #expect(try await sendOverWire(.POST, url, "/auth/login", json: wrong).status == .unauthorized)
                }
                let other = #"{"username":"second","password":"secret-password"}"#
                #expect(try await sendOverWire(.POST, url, "/auth/login", json: other).status == .ok)
                #expect(try await sendOverWire(.POST, url, "/auth/login", json: wrong).status == .tooManyRequests)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func forwardedForCountsOnlyBehindATrustedProxy(_ database: TestDatabase) async throws {
        for trusted in [false, true] {
            let adjust: (inout Settings) -> Void = {
                $0.throttling.addressLoginFailures = RateLimit(count: 2, window: 300)
                if trusted { $0.throttling.trustedProxies = try! TrustedProxies.parse(["127.0.0.0/8"]).get() }
            }
            try await withTestApp(database, adjust: adjust) { app in
                try await withListeningServer(app) { url in
                    let wrong = #"{"username":"nobody","password":"wrong-password"}"#
                    for client in ["203.0.113.7", "203.0.113.7"] {
                        let response = try await sendOverWire(
                            .POST, url, "/auth/login", json: wrong, headers: ["X-Forwarded-For": client])
                        #expect(response.status == .unauthorized)
                    }
                    // Another client behind the proxy: counted on its own only when the proxy is trusted.
                    let other = try await sendOverWire(
                        .POST, url, "/auth/login", json: #"{"username":"else","password":"x-password"}"#,
                        headers: ["X-Forwarded-For": "198.51.100.1, 203.0.113.9"])
                    #expect(other.status == (trusted ? .unauthorized : .tooManyRequests), "trusted: \(trusted)")
                }
            }
        }
    }

    @Test func trustedProxiesParseAddressesAndRanges() throws {
        let proxies = try TrustedProxies.parse(["10.0.0.0/8", "::1", "2001:db8::/32"]).get()
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["198.51.100.4, 10.0.0.9"]) == "198.51.100.4")
        #expect(proxies.clientAddress(peer: "192.0.2.1", forwardedFor: ["198.51.100.4"]) == "192.0.2.1")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["2001:db8::5", "203.0.113.2"]) == "203.0.113.2")
        #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
        #expect(proxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["not-an-address"]) == "10.0.0.1")
        #expect(TrustedProxies.parse(["10.0.0.0/33"]) == .failure(.init(entry: "10.0.0.0/33")))
        #expect(TrustedProxies.parse(["example.com"]) == .failure(.init(entry: "example.com")))
    }
}
