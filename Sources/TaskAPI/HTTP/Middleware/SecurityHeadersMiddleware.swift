import Vapor

/// Hardening headers on every response, errors included: browsers must not sniff JSON into HTML, frame the pages,
/// or leak URLs (which may carry ids) in the Referer header.
struct SecurityHeadersMiddleware: Middleware {
    private static let headers: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            for (name, value) in Self.headers {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
    }
}
