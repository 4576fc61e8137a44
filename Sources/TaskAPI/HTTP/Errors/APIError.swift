import Vapor

/// An error answered with FastAPI's `{"detail": "..."}` body.
struct APIError: Error, Equatable, Sendable {
    let status: HTTPResponseStatus
    let detail: String
    var headers: HTTPHeaders = [:]

    private static let bearerChallenge: HTTPHeaders = ["WWW-Authenticate": "Bearer"]

    /// No `Authorization: Bearer` header at all.
    static let notAuthenticated = APIError(status: .unauthorized, detail: "Not authenticated", headers: bearerChallenge)
    /// A bearer token that is invalid, expired, tampered with, or whose user no longer exists.
    static let invalidToken = APIError(
        status: .unauthorized, detail: "Could not validate credentials", headers: bearerChallenge)

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, detail: "Request body is larger than \(limit) bytes")
    }

    static func methodNotAllowed(allowed: [HTTPMethod]) -> APIError {
        APIError(
            status: .methodNotAllowed, detail: "Method Not Allowed",
            headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")])
    }
}
