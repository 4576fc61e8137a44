import Foundation
import NIOConcurrencyHelpers
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

@Suite struct LoginTests {
    private static let incorrect = #"{"detail":"Incorrect username or password"}"#

    @Test(arguments: TestDatabase.all)
    func loginAcceptsTheOAuth2PasswordFormThatSwaggerUISends(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.register()
            let response = try await app.send(
                .POST, "/auth/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=password&username=testuser&password=test123&scope=&client_id=string")
            #expect(response.status == .ok)
            let token = try response.decoded(Components.Schemas.Token.self)
            #expect(try await app.send(.GET, "/users/me", token: token.accessToken).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func loginFormWithAnotherGrantTypeIs422(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.register()
            let response = try await app.send(
                .POST, "/auth/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: "grant_type=client_credentials&username=testuser&password=test123")
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == ["body.grant_type:string_pattern_mismatch"])
        }
    }

    /// A wrong password and an unknown user get the same answer, so it does not reveal which names exist.
    @Test(arguments: TestDatabase.all, [("testuser", "wrong-password"), ("nobody", "test123")])
    func loginWithWrongPasswordOrUnknownUserIs401(_ database: TestDatabase, _ credentials: (String, String))
        async throws
    {
        try await withTestApp(database) { app in
            _ = try await app.register()
            let response = try await app.send(
                .POST, "/auth/login", json: #"{"username":"\#(credentials.0)","password":"\#(credentials.1)"}"#)
            #expect(response.status == .unauthorized)
            #expect(response.body.string == Self.incorrect)
            #expect(response.headers.first(name: "WWW-Authenticate") == "Bearer")
        }
    }

    /// bcrypt stops reading at NUL: without the guard, "test123\u{0}anything" would log in as the owner of "test123".
    @Test(
        arguments: TestDatabase.all,
        [
            #"{"username":"testuser","password":"test123\u0000anything"}"#,
            #"{"username":"test\u0000user","password":"test123"}"#,
        ]
    )
    func credentialsHoldingNULNeverLogIn(_ database: TestDatabase, _ body: String) async throws {
        try await withTestApp(database) { app in
            _ = try await app.register()
            let response = try await app.send(.POST, "/auth/login", json: body)
            #expect(response.status == .unauthorized)
            #expect(response.body.string == Self.incorrect)
        }
    }

    @Test(arguments: TestDatabase.all)
    func loginIgnoresUsernameCase(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.register("TestUser")
            let token = try await app.login("testUSER")
            let me = try await app.send(.GET, "/users/me", token: token)
            #expect(me.body.string == #"{"id":1,"username":"TestUser"}"#)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownUserCostsTheSameBcryptWorkAsAWrongPassword(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.register()
            let hasher = CountingHasher()
            app.passwords.use { _ in hasher }
            for (username, password) in [
                ("testuser", "wrong-password"), ("nobody", "test123"), ("nobody", String(repeating: "x", count: 100)),
            ] {
                hasher.reset()
                let response = try await app.send(
                    .POST, "/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
                #expect(response.status == .unauthorized)
                #expect(hasher.verifications == 1, "\(username) should cost exactly one bcrypt verification")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func passwordsAreStoredAsBcryptHashesOfTheConfiguredCost(_ database: TestDatabase) async throws {
        try await withTestApp(database, adjust: { $0.bcryptCost = 5 }) { app in
            _ = try await app.register()
            let stored = try #require(try await UserRecord.query(on: app.db).first()).passwordHash
            #expect(stored.hasPrefix("$2b$05$"))
            #expect(!stored.contains("test123"))
        }
    }
}

/// Real bcrypt at the cheapest cost, counting verifications.
final class CountingHasher: PasswordHasher, Sendable {
    private let count = NIOLockedValueBox(0)
    var verifications: Int { count.withLockedValue { $0 } }
    func reset() { count.withLockedValue { $0 = 0 } }

    func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] {
        try Bcrypt.hash(String(decoding: password, as: UTF8.self), cost: 4).utf8.map { $0 }
    }

    func verify<Password: DataProtocol, Digest: DataProtocol>(_ password: Password, created digest: Digest) throws
        -> Bool
    {
        count.withLockedValue { $0 += 1 }
        return try Bcrypt.verify(
            String(decoding: password, as: UTF8.self), created: String(decoding: digest, as: UTF8.self))
    }
}
