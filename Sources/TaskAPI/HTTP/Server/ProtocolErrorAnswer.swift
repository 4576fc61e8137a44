import Logging
import NIOCore
import NIOHTTP1

/// Answers a request the parser refuses, where Vapor's server closes the connection without a word: 431 for a
/// header section over the limit, 400 for anything else malformed, then a lingering close. Any other error closes
/// the connection.
final class ProtocolErrorAnswer: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart

    private static let malformed = CannedAnswer(status: .badRequest, detail: "Malformed HTTP request")
    private let headersTooLarge: CannedAnswer
    private let linger: TimeAmount
    private let logger: Logger
    private var responseInProgress = false
    private var answered = false

    /// `headersTooLarge` is the 431, made once for every connection (`ConnectionPipeline`).
    init(headersTooLarge: CannedAnswer, linger: TimeAmount, logger: Logger) {
        self.headersTooLarge = headersTooLarge
        self.linger = linger
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch Self.unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responseInProgress = true
        case .head, .body: break
        case .end: responseInProgress = false
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as HTTPParserError:
            guard !answered else { return }
            answered = true
            logger.debug("Refusing a malformed request: \(error)")
            // Mid-response, a second status line would corrupt the stream: all that is left is to close.
            guard !responseInProgress else { return context.close(promise: nil) }
            let answer = error == .headerOverflow ? headersTooLarge : Self.malformed
            answer.write(to: context, promise: nil)
            context.channel.lingeringClose(after: linger)
        case ByteToMessageDecoderError.dataReceivedInErrorState where answered:
            break  // the rest of the refused request, read only to be dropped
        default:
            logger.debug("Closing a connection after \(error)")
            context.close(promise: nil)
        }
    }
}
