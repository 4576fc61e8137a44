import NIOCore
import NIOHTTP1
import Vapor

/// The handlers each accepted connection gets, in order:
///
/// 1. the idle timeout, which closes a connection that has carried nothing for `IDLE_TIMEOUT`;
/// 2. the header-read deadline's byte watcher;
/// 3. SwiftNIO's HTTP/1 parser, with the header limit, and its response encoder;
/// 4. the deadline's head watcher, SwiftNIO's pipelining helper and outbound header validation;
/// 5. `ProtocolErrorAnswer`, then `VaporResponderHandler`, which hands requests to Vapor.
///
/// A connection over the cap gets only `ConnectionRefusal`.
struct ConnectionPipeline: Sendable {
    /// How long a connection the server has answered for the last time is read (and dropped) before it closes, so
    /// the client can read the answer.
    static let linger = TimeAmount.seconds(2)

    let application: Application
    let responder: any Responder
    let limits: ServiceServer.Limits
    let cap: ConnectionCap
    private let headersTooLarge: CannedAnswer

    init(application: Application, responder: any Responder, limits: ServiceServer.Limits, cap: ConnectionCap) {
        self.application = application
        self.responder = responder
        self.limits = limits
        self.cap = cap
        self.headersTooLarge = CannedAnswer(
            status: .requestHeaderFieldsTooLarge,
            detail: "Request headers are larger than \(limits.maximumHeaderBytes) bytes")
    }

    func configure(_ channel: any Channel) throws {
        let handlers = channel.pipeline.syncOperations
        guard cap.admit(channel) else {
            try handlers.addHandlers([HTTPResponseEncoder(), ConnectionRefusal(linger: Self.linger)])
            return
        }
        var parserLimits = NIOHTTPDecoderLimitConfiguration()
        parserLimits.maxHeaderFieldSize = limits.maximumHeaderBytes
        parserLimits.maxHeaderListSize = limits.maximumHeaderBytes
        let deadline = HeaderReadDeadline(timeout: limits.headerTimeout, logger: application.logger)
        try handlers.addHandlers([
            IdleStateHandler(allTimeout: limits.idleTimeout),
            CloseWhenIdle(),
            deadline.bytesWatcher,
            HTTPResponseEncoder(),
            ByteToMessageHandler(
                HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: parserLimits)),
            deadline.headWatcher,
            HTTPServerPipelineHandler(),
            NIOHTTPResponseHeadersValidator(),
            ProtocolErrorAnswer(headersTooLarge: headersTooLarge, linger: Self.linger, logger: application.logger),
            VaporResponderHandler(
                application: application, responder: responder, maximumBodyBytes: limits.maximumBodyBytes,
                linger: Self.linger),
        ])
    }
}

/// Closes the connection when `IdleStateHandler` reports it idle.
private final class CloseWhenIdle: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
        context.close(promise: nil)
    }
}
