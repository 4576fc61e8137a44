import Logging
import NIOCore
import NIOHTTP1

/// Closes a connection whose request headers take longer than `timeout` to arrive, as nginx's
/// `client_header_timeout`. The clock starts when the connection opens, and for each later request with its first
/// byte, so an idle keep-alive connection is left to the idle timeout. A client that sends its headers a byte at a
/// time (slowloris) keeps no connection longer than this.
///
/// The parser only reports a request once its headers are complete, so the deadline needs two handlers on one
/// clock: `bytesWatcher` before the parser sees bytes arrive, `headWatcher` after it sees each request begin and
/// end. Both run on the connection's event loop.
final class HeaderReadDeadline {
    private enum State {
        case betweenRequests
        case awaitingHead(Scheduled<Void>)
        case inRequest
    }

    private let timeout: TimeAmount
    private let logger: Logger
    private var state = State.betweenRequests

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    var bytesWatcher: any ChannelHandler { BytesWatcher(deadline: self) }
    var headWatcher: any ChannelHandler { HeadWatcher(deadline: self) }

    fileprivate func start(_ context: ChannelHandlerContext) {
        guard case .betweenRequests = state else { return }
        let channel = context.channel
        let logger = logger
        state = .awaitingHead(
            context.eventLoop.scheduleTask(in: timeout) {
                logger.debug("Closing a connection whose request headers did not arrive in time")
                channel.close(promise: nil)
            })
    }

    fileprivate func headArrived() {
        if case .awaitingHead(let timer) = state { timer.cancel() }
        state = .inRequest
    }

    fileprivate func requestEnded() {
        state = .betweenRequests
    }

    fileprivate func stop() {
        if case .awaitingHead(let timer) = state { timer.cancel() }
        state = .inRequest
    }
}

private final class BytesWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let deadline: HeaderReadDeadline

    init(deadline: HeaderReadDeadline) {
        self.deadline = deadline
    }

    func channelActive(context: ChannelHandlerContext) {
        deadline.start(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        deadline.start(context)
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline.stop()
        context.fireChannelInactive()
    }
}

private final class HeadWatcher: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    let deadline: HeaderReadDeadline

    init(deadline: HeaderReadDeadline) {
        self.deadline = deadline
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head: deadline.headArrived()
        case .body: break
        case .end: deadline.requestEnded()
        }
        context.fireChannelRead(data)
    }
}
