import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A TCP connection to a listening server that sends exactly the bytes it is given, for what an HTTP client
/// library will not send: partial headers, a byte at a time, or a request that cannot be parsed.
final class RawConnection: Sendable {
    private let channel: any Channel
    private let received: NIOLockedValueBox<String>
    private let opened = ContinuousClock.now

    private init(channel: any Channel, received: NIOLockedValueBox<String>) {
        self.channel = channel
        self.received = received
    }

    static func open(_ url: URL) async throws -> RawConnection {
        let received = NIOLockedValueBox("")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: url.host!, port: url.port!).get()
        return RawConnection(channel: channel, received: received)
    }

    /// Everything the server has sent so far.
    var text: String { received.withLockedValue { $0 } }

    var isOpen: Bool { channel.isActive }

    func send(_ bytes: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: bytes))
    }

    /// Closes this side for writing (a TCP FIN, as `shutdown(SHUT_WR)` sends) and keeps reading.
    func finishSending() async throws {
        try await channel.close(mode: .output)
    }

    /// Sends one byte every `interval` for as long as the connection is open, up to `limit`.
    func drip(_ bytes: String, every interval: Duration, limit: Duration) async {
        for byte in bytes.utf8 where isOpen && ContinuousClock.now - opened < limit {
            try? await channel.writeAndFlush(ByteBuffer(bytes: [byte]))
            try? await Task.sleep(for: interval)
        }
    }

    /// How long after opening the server closed the connection, waiting up to `limit` for it; nil if it did not.
    func closed(within limit: Duration) async -> Duration? {
        while ContinuousClock.now - opened < limit {
            if !isOpen { return ContinuousClock.now - opened }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits up to `limit` for the server to have sent a complete response head; returns its status line.
    func statusLine(within limit: Duration) async -> String? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let text = self.text
            if text.contains("\r\n\r\n") { return text.components(separatedBy: "\r\n")[0] }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func forget() {
        received.withLockedValue { $0 = "" }
    }

    func close() async {
        try? await channel.close()
    }
}

private final class Collector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let received: NIOLockedValueBox<String>

    init(received: NIOLockedValueBox<String>) {
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = String(buffer: Self.unwrapInboundIn(data))
        received.withLockedValue { $0 += bytes }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)  // a reset ends the connection as a close does
    }
}
