import NIOCore
import NIOHTTP1
import TaskAPIContract

/// An answer the server gives by itself, before or instead of any request reaching the responder: FastAPI's
/// `{"detail": "..."}` body, and `Connection: close` since the connection ends with it.
struct CannedAnswer: Sendable {
    let status: HTTPResponseStatus
    let body: ByteBuffer
    let retryAfterSeconds: Int?

    init(status: HTTPResponseStatus, detail: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
        self.body = ByteBuffer(bytes: TaskJSON.error(Components.Schemas.HTTPError(detail: detail)))
    }

    /// Writes the answer through an `HTTPResponseEncoder` and flushes it.
    func write(to context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        var headers: HTTPHeaders = [
            "content-type": "application/json; charset=utf-8", "content-length": "\(body.readableBytes)",
            "connection": "close", "date": ResponseDate.current(),
        ]
        if let retryAfterSeconds { headers.add(name: "retry-after", value: "\(retryAfterSeconds)") }
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: promise)
    }
}
