import Fluent
import TaskAPIContract

/// Implements the operations of the generated `APIProtocol`, one extension per OpenAPI tag.
struct APIHandlers: APIProtocol {
    let database: @Sendable () -> any Database
    let passwords: PasswordVault
    let tokens: AccessTokens
}
