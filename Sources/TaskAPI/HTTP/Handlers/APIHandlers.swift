import Fluent
import TaskAPIContract

/// Implements the operations of the generated `APIProtocol`, one extension per OpenAPI tag.
struct APIHandlers: APIProtocol {
    let database: @Sendable () throws -> any Database
    let passwords: PasswordVault
    let sessions: SessionService
    let throttle: LoginThrottle
    let trustedProxies: TrustedProxies
    /// How long a write may take once it has its connection (`DATABASE_TIMEOUT`).
    let writeDeadline: Duration

    /// The client address and `User-Agent` of the request being handled.
    var origin: RequestOrigin { RequestOrigin.current(trusting: trustedProxies) }

    /// Runs a write that the client will be told succeeded. See `Database.durably`.
    func durably<T: Sendable>(_ write: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database().durably(within: writeDeadline, write)
    }

    /// Runs one hot statement as a write that the client will be told succeeded, and returns its rows.
    func durably<Statement: HotStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        try await database().durably(within: writeDeadline, statement)
    }
}
