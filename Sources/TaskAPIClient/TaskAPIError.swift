import TaskAPIContract

/// A documented refusal from the server, with its `detail`, or a response the contract does not describe.
public enum TaskAPIError: Error, Sendable {
    case unauthorized(String)
    case notFound(String)
    case conflict(String)
    case validation([Components.Schemas.ValidationError])
    /// 400: the password given to confirm a change was wrong.
    case incorrectPassword(String)
    /// 429: too many attempts; try again after `retryAfter` seconds.
    case tooManyAttempts(String, retryAfter: Int64)
    /// Any other response (413, 415, 5xx ...): the generated output, for inspection.
    case unexpected(any Sendable)
}

extension TaskAPIError {
    init(_ wait: Components.Responses.TooManyLoginAttempts) {
        self = .tooManyAttempts(
            (try? wait.body.json.detail) ?? "Too many login attempts", retryAfter: wait.headers.retryAfter)
    }
}
