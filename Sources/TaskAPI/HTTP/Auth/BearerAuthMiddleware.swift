import Fluent
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Requires a valid bearer token on every protected operation and binds the token's user and session as
/// `Caller.current`. Runs before the request body is decoded, so an anonymous request gets 401, never a
/// validation error.
struct BearerAuthMiddleware: ServerMiddleware {
    let index: ContractIndex
    let tokens: AccessTokens
    let database: @Sendable () throws -> any Database
    let clock: WallClock

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
        // User and session are loaded on every request, so logging out, ending a session or deleting the account
        // stops its tokens at once, on every replica.
        let now = clock.now()
        guard let subject = await tokens.subject(of: token, now: now),
            let user = try await CallerLookup.find(
                userID: subject.userID, sessionID: subject.sessionID, at: now, on: database())
        else { throw APIError.invalidToken }
        let caller = Caller(id: user.id, username: user.username, sessionID: subject.sessionID)
        return try await Caller.$current.withValue(caller) {
            try await next(request, body, metadata)
        }
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, as FastAPI's).
    static func bearerToken(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Foundation's trimming took 5 µs per request (3% of a read's CPU); a token rarely needs it.
        let untrimmed = parts[1].unicodeScalars
        let token =
            untrimmed.first.map(isWhitespace) == false && untrimmed.last.map(isWhitespace) == false
            ? String(parts[1]) : parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Membership in `CharacterSet.whitespaces`: a tab or a space separator.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }
}
