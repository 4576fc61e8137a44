import Fluent
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Requires a valid bearer token on every protected operation and binds the token's user as `Caller.current`.
/// Runs before the request body is decoded, so an anonymous request gets 401, never a validation error.
struct BearerAuthMiddleware: ServerMiddleware {
    let index: ContractIndex
    let tokens: AccessTokens
    let database: @Sendable () -> any Database

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard index.operations[operationID]?.requiresAuthentication ?? true else {
            return try await next(request, body, metadata)
        }
        guard let token = Self.bearerToken(in: request.headerFields[.authorization]) else {
            throw APIError.notAuthenticated
        }
        // The user is loaded on every request, so a deleted user's tokens stop working at once.
        guard let userID = await tokens.userID(from: token),
            let user = try await UserRecord.find(userID, on: database()),
            let id = user.id
        else { throw APIError.invalidToken }
        return try await Caller.$current.withValue(Caller(id: id, username: user.username)) {
            try await next(request, body, metadata)
        }
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, as FastAPI's).
    static func bearerToken(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
