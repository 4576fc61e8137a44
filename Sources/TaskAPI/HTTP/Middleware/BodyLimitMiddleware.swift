import Vapor

/// Refuses a request body over the limit with 413, before routing.
///
/// The server reads each body before it hands the request on, and stops one byte past the limit
/// (`VaporResponderHandler`), so here a body is always collected: one too large shows in its length, or in the
/// `Content-Length` it declared when the server did not wait for it.
struct BodyLimitMiddleware: Middleware {
    let maximumBytes: Int

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let declared = request.headers.first(name: .contentLength).flatMap(Int.init) ?? 0
        let collected = request.body.data?.readableBytes ?? 0
        guard max(declared, collected) <= maximumBytes else {
            return request.eventLoop.makeFailedFuture(APIError.payloadTooLarge(limit: maximumBytes))
        }
        return next.respond(to: request)
    }
}
