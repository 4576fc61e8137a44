import Foundation
import JWT
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

@Suite struct AuthenticationTests {
    private static let notAuthenticated = #"{"detail":"Not authenticated"}"#
    private static let invalidCredentials = #"{"detail":"Could not validate credentials"}"#

    private func expectRejected(
        _ app: Application, authorization: String?, body expected: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var headers = HTTPHeaders()
        if let authorization { headers.add(name: .authorization, value: authorization) }
        for (method, path) in [
            (HTTPMethod.GET, "/tasks"), (.GET, "/users"), (.GET, "/users/me"), (.DELETE, "/tasks/1"),
        ] {
            let response = try await app.send(method, path, headers: headers)
            #expect(response.status == .unauthorized, "\(method) \(path)", sourceLocation: sourceLocation)
            #expect(response.body.string == expected, "\(method) \(path)", sourceLocation: sourceLocation)
            #expect(response.headers.first(name: "WWW-Authenticate") == "Bearer", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: TestDatabase.all)
    func missingOrNonBearerAuthorizationIsNotAuthenticated(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await expectRejected(app, authorization: nil, body: Self.notAuthenticated)
            try await expectRejected(app, authorization: "Basic dGVzdHVzZXI6dGVzdDEyMw==", body: Self.notAuthenticated)
            try await expectRejected(app, authorization: "Bearer", body: Self.notAuthenticated)
        }
    }

    @Test(arguments: TestDatabase.all)
    func garbageTokenCannotBeValidated(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await expectRejected(app, authorization: "Bearer not-a-jwt", body: Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tamperedSignatureCannotBeValidated(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            _ = try await app.signUp("mallory")
            // Claim to be user 2 while keeping user 1's signature.
            var parts = token.split(separator: ".").map(String.init)
            let payload = try JSONSerialization.jsonObject(with: Data(base64URL: parts[1])) as! [String: Any]
            var forged = payload
            forged["sub"] = "2"
            parts[1] = try JSONSerialization.data(withJSONObject: forged).base64URLEncoded
            try await expectRejected(
                app, authorization: "Bearer " + parts.joined(separator: "."), body: Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unsignedAlgNoneTokenIsRejected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp()
            let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncoded
            let exp = Int(Date().timeIntervalSince1970) + 600
            let payload = Data(#"{"sub":"1","iat":0,"exp":\#(exp)}"#.utf8).base64URLEncoded
            try await expectRejected(app, authorization: "Bearer \(header).\(payload).", body: Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokenSignedWithAnotherAlgorithmIsRejected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp()
            // The right secret, the wrong algorithm: only HS256 is accepted.
            let session = try Self.sessionID(of: try await app.login())
            let keys = await JWTKeyCollection().add(hmac: HMACKey(from: testSecret), digestAlgorithm: .sha512)
            let token = try await keys.sign(Self.claims(userID: 1, sessionID: session, expiresIn: 600))
            try await expectRejected(app, authorization: "Bearer \(token)", body: Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func expiredTokenIsRejected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let session = try Self.sessionID(of: try await app.signUp())
            let token = try await app.jwt.keys.sign(Self.claims(userID: 1, sessionID: session, expiresIn: -1))
            try await expectRejected(app, authorization: "Bearer \(token)", body: Self.invalidCredentials)
            let fresh = try await app.jwt.keys.sign(Self.claims(userID: 1, sessionID: session, expiresIn: 60))
            #expect(try await app.send(.GET, "/users/me", token: fresh).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokenForAnotherIssuerOrAudienceIsRejected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let session = try Self.sessionID(of: try await app.signUp())
            for (issuer, audience) in [("someone-else", "task-api"), ("task-api", "another-api")] {
                let claims = Self.claims(
                    userID: 1, sessionID: session, expiresIn: 60, issuer: issuer, audience: audience)
                let token = try await app.jwt.keys.sign(claims)
                try await expectRejected(app, authorization: "Bearer \(token)", body: Self.invalidCredentials)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokenWithoutALiveSessionIsRejected(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp()
            // Signed with the right key, but naming a session that was never started: as a token minted before
            // sessions existed, or for a session already purged.
            let token = try await app.jwt.keys.sign(Self.claims(userID: 1, sessionID: UUID(), expiresIn: 60))
            try await expectRejected(app, authorization: "Bearer \(token)", body: Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletedUsersTokenStopsWorkingAtOnce(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            #expect(try await app.send(.GET, "/users/me", token: token).status == .ok)
            try await UserRecord.query(on: app.db).delete()
            try await expectRejected(app, authorization: "Bearer \(token)", body: Self.invalidCredentials)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tokenCarriesSubjectIssuedAtAndConfiguredExpiry(_ database: TestDatabase) async throws {
        try await withTestApp(database, adjust: { $0.accessTokenLifetime = .seconds(5 * 60) }) { app in
            _ = try await app.register()
            let response = try await app.send(
                .POST, "/auth/login", json: #"{"username":"testuser","password":"test123"}"#)
            let token = try response.decoded(Components.Schemas.Token.self)
            #expect(token.expiresIn == 300)
            let claims = try await app.jwt.keys.verify(token.accessToken, as: AccessTokenClaims.self)
            #expect(claims.sub.value == "1")
            #expect(claims.iss.value == "task-api" && claims.aud.value == ["task-api"])
            #expect(claims.sessionID != nil)
            #expect(claims.exp.value.timeIntervalSince(claims.iat.value) == 300)
            #expect(abs(claims.iat.value.timeIntervalSinceNow) < 60)
            let header = try JSONSerialization.jsonObject(
                with: Data(base64URL: String(token.accessToken.split(separator: ".")[0])))
            #expect((header as? [String: Any])?["alg"] as? String == "HS256")
        }
    }

    private static func claims(
        userID: Int, sessionID: UUID, expiresIn seconds: TimeInterval, issuer: String = "task-api",
        audience: String = "task-api"
    ) -> AccessTokenClaims {
        AccessTokenClaims(
            sub: .init(value: String(userID)), sid: sessionID.uuidString, iss: .init(value: issuer),
            aud: .init(value: [audience]), iat: .init(value: Date()),
            exp: .init(value: Date(timeIntervalSinceNow: seconds)))
    }

    @Test func theBearerTokenIsTheHeadersSecondWordWithoutSurroundingWhitespace() {
        let cases: [(String?, String?)] = [
            ("Bearer abc.def", "abc.def"), ("bearer abc", "abc"), ("BEARER   abc\t", "abc"),
            ("Bearer \u{A0}abc\u{2003}", "abc"),
            ("Bearer \t", nil), ("Bearer", nil), ("Basic abc", nil), ("Bearer\u{A0}abc", nil), (nil, nil),
            ("Bearer a b", "a b"),
        ]
        for (header, token) in cases {
            #expect(BearerAuthMiddleware.bearerToken(in: header) == token, "\(header ?? "none")")
        }
    }

    /// The session an access token names, read without verifying it.
    static func sessionID(of token: String) throws -> UUID {
        try #require(UUID(uuidString: try sessionIDText(of: token)))
    }

    /// The `sid` claim as the token carries it.
    static func sessionIDText(of token: String) throws -> String {
        let payload = try JSONSerialization.jsonObject(
            with: Data(base64URL: String(token.split(separator: ".")[1])))
        return try #require((payload as? [String: Any])?["sid"] as? String)
    }
}

extension Data {
    init(base64URL text: String) throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self = try #require(Data(base64Encoded: base64))
    }

    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
