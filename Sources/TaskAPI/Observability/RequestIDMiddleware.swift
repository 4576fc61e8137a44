import Vapor

/// Gives every request one id: the client's `X-Request-ID` when it is 1 to 128 characters of `A-Z a-z 0-9 . _ -`,
/// otherwise a fresh one. Every response carries it, and every log line written through the request's logger
/// includes it, so one request can be found across the access line, errors and a client's report.
///
/// This and the other plain middlewares chain futures rather than being `AsyncMiddleware`s: Vapor runs every
/// `AsyncMiddleware` in a task of its own, which cost 3 to 5 µs per layer per request (Benchmarks/layer-costs.py).
struct RequestIDMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Vapor has already given the request an id, and its logger the metadata: the `X-Request-ID` header
        // whatever it holds (ServiceServer adds a fresh one when the client sent none), else a fresh UUID. Only a
        // client's id that is not well formed is replaced.
        let id = RequestID.accepted(request.id) ?? RequestID.fresh()
        if id != request.id { request.logger[metadataKey: "request-id"] = .string(id) }
        return next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: .xRequestId, value: id)
            return response
        }
    }
}
