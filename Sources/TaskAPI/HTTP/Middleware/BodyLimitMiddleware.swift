import Vapor

/// Reads the whole request body before routing, refusing anything over the limit with 413.
///
/// The OpenAPI transport streams bodies, so Vapor's per-route size limit never applies; this is the one place that
/// bounds how much a request can make the server hold.
struct BodyLimitMiddleware: Middleware {
    let maximumBytes: Int

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let tooLarge = APIError.payloadTooLarge(limit: maximumBytes)
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > maximumBytes {
            return request.eventLoop.makeFailedFuture(tooLarge)
        }
        return request.body.collect(max: maximumBytes)
            .flatMapErrorThrowing { error in
                if let abort = error as? any AbortError, abort.status == .payloadTooLarge { throw tooLarge }
                throw error
            }
            .flatMap { body in
                // An already collected body (as in-process tests send) skips collect's own check.
                if let body, body.readableBytes > maximumBytes { return request.eventLoop.makeFailedFuture(tooLarge) }
                return next.respond(to: request)
            }
    }
}
