import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Holds the session's access token and adds it to every request once there is one.
actor BearerCredentials: ClientMiddleware {
    private var token: String?

    func use(_ token: String) {
        self.token = token
    }

    nonisolated func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if let token = await token {
            request.headerFields[.authorization] = "Bearer \(token)"
        }
        return try await next(request, body, baseURL)
    }
}
