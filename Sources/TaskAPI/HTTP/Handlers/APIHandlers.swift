import Fluent
import TaskAPIContract

/// Implements the operations of the generated `APIProtocol`, one extension per OpenAPI tag.
struct APIHandlers: APIProtocol {
    let database: @Sendable () -> any Database
    let passwords: PasswordVault
    let sessions: SessionService
    let throttle: LoginThrottle
    let trustedProxies: TrustedProxies

    /// The client address and `User-Agent` of the request being handled.
    var origin: RequestOrigin { RequestOrigin.current(trusting: trustedProxies) }
}
