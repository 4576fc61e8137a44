import Vapor

/// Refuses a request whose header section is over the limit with 431, as nginx and uvicorn refuse theirs, before
/// anything reads it. SwiftNIO's parser has a limit of its own, about 80 KB, past which it closes the connection
/// without an answer; between the two, the client gets a clear one.
struct HeaderLimitMiddleware: Middleware {
    let maximumBytes: Int

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Each line as sent: name, ": ", value, CRLF.
        let bytes = request.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        guard bytes <= maximumBytes else {
            return request.eventLoop.makeFailedFuture(APIError.headersTooLarge(limit: maximumBytes))
        }
        return next.respond(to: request)
    }
}
