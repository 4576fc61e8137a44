import NIOCore

/// Serves a connection over the cap: a 503 written as soon as it opens, whatever the client sends, then a
/// lingering close.
final class ConnectionRefusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private static let answer = CannedAnswer(
        status: .serviceUnavailable, detail: "Too many open connections: try again shortly", retryAfterSeconds: 1)
    private let linger: TimeAmount

    init(linger: TimeAmount) {
        self.linger = linger
    }

    func channelActive(context: ChannelHandlerContext) {
        Self.answer.write(to: context, promise: nil)
        context.channel.lingeringClose(after: linger)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
