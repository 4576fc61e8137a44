import Foundation
import HTTPTypes
import OpenAPIRuntime
import TaskAPIContract

/// Holds the session's tokens, adds the access token to every request, and renews it with the refresh token when
/// it has expired: before sending when the token is known to be expired, or once after a 401 for a token at the
/// end of its life. A 401 for a token that should still be valid (the session was ended) is passed through, so
/// a logged-out client does not spend refresh attempts the server counts as failures.
actor BearerCredentials: ClientMiddleware {
    struct Tokens: Sendable, Equatable {
        var access: String
        var refresh: String?
    }

    /// How near its `exp` an access token is treated as expired, for clocks that disagree with the server's.
    static let clockSkew: TimeInterval = 60

    private(set) var tokens: Tokens?
    /// The calls waiting for a refresh in flight, so one refresh token is never spent twice.
    private var waiting: [CheckedContinuation<Tokens?, Never>]?

    func use(_ tokens: Tokens?) {
        self.tokens = tokens
    }

    nonisolated func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard var sent = await tokens else { return try await next(request, body, baseURL) }
        if Self.isExpired(sent.access), let renewed = await renew(after: sent, next: next, baseURL: baseURL) {
            sent = renewed
        }
        // The body may be sent twice, so it must be replayable.
        var replayable = body
        if let body, body.iterationBehavior == .single {
            replayable = HTTPBody(try await Data(collecting: body, upTo: .max))
        }
        let (response, responseBody) = try await next(Self.authorized(request, sent), replayable, baseURL)
        guard response.status == .unauthorized, Self.isExpired(sent.access, allowingSkew: true),
            let renewed = await renew(after: sent, next: next, baseURL: baseURL)
        else { return (response, responseBody) }
        return try await next(Self.authorized(request, renewed), replayable, baseURL)
    }

    /// New tokens, once per expired pair however many calls ask at the same moment; nil when the server refuses,
    /// after which the refresh token is dropped rather than presented again.
    private func renew(
        after stale: Tokens, next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?),
        baseURL: URL
    ) async -> Tokens? {
        if let tokens, tokens != stale { return tokens }  // another call already renewed them
        guard let refresh = stale.refresh else { return nil }
        if waiting != nil {
            return await withCheckedContinuation { waiting?.append($0) }
        }
        waiting = []
        let renewed = await Self.exchange(refresh, next: next, baseURL: baseURL)
        if tokens == stale { tokens = renewed ?? Tokens(access: stale.access, refresh: nil) }
        let waiters = waiting ?? []
        waiting = nil
        for waiter in waiters { waiter.resume(returning: renewed) }
        return renewed
    }

    private static func exchange(
        _ refreshToken: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?), baseURL: URL
    ) async -> Tokens? {
        var request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/auth/refresh")
        request.headerFields[.contentType] = "application/json"
        request.headerFields[.accept] = "application/json"
        guard let payload = try? JSONEncoder().encode(Components.Schemas.RefreshRequest(refreshToken: refreshToken)),
            let (response, body) = try? await next(request, HTTPBody(payload), baseURL), response.status == .ok,
            let body, let data = try? await Data(collecting: body, upTo: 1 << 20),
            let token = try? JSONDecoder().decode(Components.Schemas.Token.self, from: data)
        else { return nil }
        return Tokens(access: token.accessToken, refresh: token.refreshToken)
    }

    private static func authorized(_ request: HTTPRequest, _ tokens: Tokens) -> HTTPRequest {
        var request = request
        request.headerFields[.authorization] = "Bearer \(tokens.access)"
        return request
    }

    /// Whether the JWT's `exp` has passed (or, with `allowingSkew`, is within `clockSkew` of passing). A token
    /// whose payload cannot be read counts as not expired: the server is the judge.
    static func isExpired(_ accessToken: String, allowingSkew: Bool = false, now: Date = Date()) -> Bool {
        let parts = accessToken.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let payload = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let exp = payload["exp"] as? Double
        else { return false }
        return exp <= now.timeIntervalSince1970 + (allowingSkew ? clockSkew : 0)
    }
}
