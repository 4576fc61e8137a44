import Vapor

/// Who is on the other end of the request being handled: the client address the limits count against, and the
/// `User-Agent` a session is labelled with.
struct RequestOrigin: Sendable {
    let address: String?
    let userAgent: String?

    /// The current request's origin, believing `X-Forwarded-For` only from a trusted proxy.
    static func current(trusting proxies: TrustedProxies) -> RequestOrigin {
        guard let request = CurrentRequest.value else { return RequestOrigin(address: nil, userAgent: nil) }
        let address = proxies.clientAddress(
            peer: request.remoteAddress?.ipAddress, forwardedFor: request.headers[.xForwardedFor])
        return RequestOrigin(address: address, userAgent: request.headers.first(name: .userAgent))
    }
}
