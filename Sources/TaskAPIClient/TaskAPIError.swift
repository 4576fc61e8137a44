import TaskAPIContract

/// A documented refusal from the server, with its `detail`, or a response the contract does not describe.
public enum TaskAPIError: Error, Sendable {
    case unauthorized(String)
    case notFound(String)
    case conflict(String)
    case validation([Components.Schemas.ValidationError])
    /// Any other response (413, 415, 5xx ...): the generated output, for inspection.
    case unexpected(any Sendable)
}
