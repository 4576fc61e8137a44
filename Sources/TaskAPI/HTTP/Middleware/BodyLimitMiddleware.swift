import Vapor

/// Reads the whole request body before routing, refusing anything over the limit with 413.
///
/// The OpenAPI transport streams bodies, so Vapor's per-route size limit never applies; this is the one place that
/// bounds how much a request can make the server hold.
struct BodyLimitMiddleware: AsyncMiddleware {
    let maximumBytes: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let tooLarge = APIError.payloadTooLarge(limit: maximumBytes)
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > maximumBytes {
            throw tooLarge
        }
        let body: ByteBuffer?
        do {
            body = try await request.body.collect(max: maximumBytes).get()
        } catch let error as any AbortError where error.status == .payloadTooLarge {
            throw tooLarge
        }
        // An already collected body (as in-process tests send) skips collect's own check.
        if let body, body.readableBytes > maximumBytes { throw tooLarge }
        return try await next.respond(to: request)
    }
}
