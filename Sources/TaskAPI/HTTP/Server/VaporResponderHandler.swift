import NIOCore
import NIOHTTP1
import Vapor

/// Hands each request to Vapor's responder with its body already read, and writes the response back as Vapor's
/// server does: `Connection` and `Date` headers added last, no body for HEAD or 204.
///
/// A body is collected up to one byte past `maximumBodyBytes` and the request goes on as soon as it is that
/// large (or declares it is), so `BodyLimitMiddleware` refuses it with 413 without the server holding more; the
/// rest of it is dropped and the connection closes after the answer, at the latest `linger` after it.
///
/// A client that closes its side for writing (`shutdown(SHUT_WR)`) after its requests gets every answer, then the
/// connection closes; SwiftNIO's pipelining handler passes that on only once the last request has come through.
final class VaporResponderHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case collecting(HTTPRequestHead, ByteBuffer?)
        /// The request went on before its body ended; what is left of it is dropped.
        case dropping
    }

    private let application: Application
    private let responder: any Responder
    private let maximumBodyBytes: Int
    private let linger: TimeAmount
    private var state = State.idle
    /// A response is being made; SwiftNIO's pipelining handler holds the next request back until it is written.
    private var responding = false
    /// The client has closed its side: the connection closes once no response is left to write.
    private var inputClosed = false

    init(application: Application, responder: any Responder, maximumBodyBytes: Int, linger: TimeAmount) {
        self.application = application
        self.responder = responder
        self.maximumBodyBytes = maximumBodyBytes
        self.linger = linger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (Self.unwrapInboundIn(data), state) {
        case (.head(let head), _):
            if let declared = head.headers.first(name: .contentLength).flatMap(Int.init), declared > maximumBodyBytes {
                state = .dropping
                respond(to: head, body: nil, keepAlive: false, context: context)
            } else {
                state = .collecting(head, nil)
            }
        case (.body(var part), .collecting(let head, var body)):
            state = .idle  // releases `body`'s storage for in-place appends
            if body == nil { body = part } else { body!.writeBuffer(&part) }
            if body!.readableBytes > maximumBodyBytes {
                state = .dropping
                respond(to: head, body: body, keepAlive: false, context: context)
            } else {
                state = .collecting(head, body)
            }
        case (.end, .collecting(let head, let body)):
            state = .idle
            respond(to: head, body: body, keepAlive: head.isKeepAlive, context: context)
        case (.end, _):
            state = .idle
        case (.body, _):
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        inputClosed = true
        if !responding { context.close(promise: nil) }
    }

    private func respond(to head: HTTPRequestHead, body: ByteBuffer?, keepAlive: Bool, context: ChannelHandlerContext) {
        responding = true
        // Vapor takes the request's id from this header, else from Foundation's `UUID()`, which costs three times
        // as much: the id is given here, as a proxy in front would give it.
        var headers = head.headers
        if !headers.contains(name: .xRequestId) { headers.add(name: .xRequestId, value: RequestID.fresh()) }
        let request = Request(
            application: application, method: head.method, url: URI(path: head.uri), version: head.version,
            headersNoUpdate: headers, collectedBody: body, remoteAddress: context.channel.remoteAddress,
            logger: application.logger, byteBufferAllocator: context.channel.allocator, on: context.eventLoop)
        let bodyless = head.method == .HEAD
        let loop = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        responder.respond(to: request)
            .flatMap { response in
                response.body.collect(on: request.eventLoop).map { (response, $0) }
            }
            .hop(to: context.eventLoop)
            .whenComplete { result in
                let (context, handler) = loop.value
                switch result {
                case .success(let (response, collected)):
                    handler.write(
                        response, body: collected, bodyless: bodyless, keepAlive: keepAlive, context: context)
                case .failure(let error):
                    // ErrorMiddleware answers every error, so this is a response that could not be read.
                    handler.application.logger.error("No response to write: \(error)")
                    context.close(promise: nil)
                }
            }
    }

    private func write(
        _ response: Response, body: ByteBuffer?, bodyless: Bool, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        responding = false
        let keepAlive = keepAlive && !inputClosed
        var headers = response.headers
        headers.add(name: .connection, value: keepAlive ? "keep-alive" : "close")
        headers.add(name: .date, value: ResponseDate.current())
        let head = HTTPResponseHead(version: response.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0, !bodyless, response.status != .noContent {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        guard !keepAlive else { return }
        let channel = context.channel
        let linger = self.linger
        written.whenComplete { _ in channel.lingeringClose(after: linger) }
    }
}
