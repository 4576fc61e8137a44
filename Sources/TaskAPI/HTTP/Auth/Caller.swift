import Foundation

/// The authenticated user of the request being handled and the session their token belongs to, loaded from the
/// database on every request.
struct Caller: Equatable, Sendable {
    let id: Int
    let username: String
    let sessionID: UUID

    @TaskLocal static var current: Caller?

    /// The caller; an operation that reaches here without one is refused rather than served anonymously.
    static func required() throws -> Caller {
        guard let current else { throw APIError.notAuthenticated }
        return current
    }
}
