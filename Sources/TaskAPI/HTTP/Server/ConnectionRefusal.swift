import NIOCore

/// Serves a connection over the cap: a 503 written as soon as it opens, whatever the client sends, then the
/// connection closes. The client's request is read and dropped meanwhile, so that closing does not reset the
/// connection before the client has read the answer; `linger` bounds how long that may take.
final class ConnectionRefusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private static let answer = CannedAnswer(
        status: .serviceUnavailable, detail: "Too many open connections: try again shortly", retryAfterSeconds: 1)
    private let linger: TimeAmount
    private var date = ResponseDate()

    init(linger: TimeAmount) {
        self.linger = linger
    }

    func channelActive(context: ChannelHandlerContext) {
        Self.answer.write(to: context, date: date.current(), promise: nil)
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
