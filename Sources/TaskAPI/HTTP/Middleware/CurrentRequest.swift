import Vapor

/// The Vapor request being handled, for the few handlers that need more than the generated input gives them
/// (swift-openapi-vapor's documented request-injection pattern).
enum CurrentRequest {
    @TaskLocal static var value: Request?

    /// Binds the request for everything downstream.
    struct Middleware: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            try await CurrentRequest.$value.withValue(request) { try await next.respond(to: request) }
        }
    }
}
