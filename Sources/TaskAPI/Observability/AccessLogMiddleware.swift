import Vapor

/// One line per request at info: method, route pattern (never raw ids), status and duration. Runs outside
/// `ErrorMiddleware`, so the status is the one the client gets.
struct AccessLogMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let start = ContinuousClock.now
        return next.respond(to: request).map { response in
            // Whole microseconds, written as milliseconds.
            let milliseconds = ((ContinuousClock.now - start).inSeconds * 1_000_000).rounded() / 1000
            request.logger.info(
                "request",
                metadata: [
                    "method": .string(request.method.rawValue),
                    "route": .string(request.routePattern),
                    "status": .stringConvertible(Int(response.status.code)),
                    "duration_ms": .stringConvertible(milliseconds),
                ])
            return response
        }
    }
}

extension Request {
    /// The matched route's pattern, like `/tasks/:task_id`; a request that matched none is `unmatched`, so raw
    /// paths never become labels.
    var routePattern: String {
        guard let route else { return "unmatched" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }
}
