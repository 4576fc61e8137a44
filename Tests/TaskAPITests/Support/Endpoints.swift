import Foundation
import NIOCore
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

// Endpoint helpers: every test goes through the real HTTP stack (routing, middleware, auth, error mapping).

extension Application {
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = nil,
        headers extra: HTTPHeaders = [:], body: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        if json != nil, !headers.contains(name: .contentType) { headers.contentType = .json }
        if let token { headers.bearerAuthorization = .init(token: token) }
        let body = json ?? body
        return try await testing().sendRequest(
            method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @discardableResult
    func register(_ username: String = "testuser", password: String = "test123") async throws -> TestingHTTPResponse {
        try await send(.POST, "/users", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    /// Logs in through the real token endpoint and returns the access token.
    func login(_ username: String = "testuser", password: String = "test123") async throws -> String {
        try await loginTokens(username, password: password).accessToken
    }

    /// Logs in through the real token endpoint and returns both tokens.
    func loginTokens(
        _ username: String = "testuser", password: String = "test123", headers: HTTPHeaders = [:]
    ) async throws -> Components.Schemas.Token {
        let response = try await send(
            .POST, "/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#,
            headers: headers)
        try #require(response.status == .ok, "login failed: \(response.body.string)")
        return try response.decoded(Components.Schemas.Token.self)
    }

    /// Presents a refresh token as JSON.
    func refresh(_ refreshToken: String) async throws -> TestingHTTPResponse {
        try await send(.POST, "/auth/refresh", json: #"{"refresh_token":"\#(refreshToken)"}"#)
    }

    /// Registers a user and returns their token.
    func signUp(_ username: String = "testuser", password: String = "test123") async throws -> String {
        let response = try await register(username, password: password)
        try #require(response.status == .created, "registration failed: \(response.body.string)")
        return try await login(username, password: password)
    }

    func createTask(_ json: String = #"{"title":"Buy milk"}"#, token: String) async throws -> TaskResource {
        let response = try await send(.POST, "/tasks", json: json, token: token)
        try #require(response.status == .created, "create failed: \(response.body.string)")
        return try response.decoded(TaskResource.self)
    }
}

extension TestingHTTPResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(buffer: body))
    }

    /// The body as a JSON object, for asserting exactly which keys are present.
    var jsonObject: [String: Any] {
        get throws { try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) }
    }

    /// The `detail` entries of a 422 body, as (loc joined with ".", type).
    var validationErrors: [String] {
        get throws {
            try decoded(Components.Schemas.HTTPValidationError.self).detail.map { error in
                error.loc.map { $0.value1 ?? $0.value2.map(String.init) ?? "?" }.joined(separator: ".") + ":"
                    + error._type
            }
        }
    }
}
