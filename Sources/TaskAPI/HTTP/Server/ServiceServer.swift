import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import Vapor

/// The HTTP/1.1 server in front of Vapor's responder. Vapor's own `HTTPServer` builds each connection's pipeline
/// itself and has no hook into it, so it cannot enforce a header-read deadline or a connection cap, and past
/// SwiftNIO's 80 KB header limit it drops the connection without an answer. This server builds the pipeline
/// (`ConnectionPipeline`) and otherwise behaves as Vapor's: same parser and encoder, same headers on the wire,
/// keep-alive, pipelining, the idle timeout, and a drain on shutdown.
final class ServiceServer: Server {
    struct Limits: Sendable {
        var idleTimeout: TimeAmount
        var headerTimeout: TimeAmount
        var maximumConnections: Int
        /// Open files kept out of the connection cap: the database connections, and a margin for SQLite's files,
        /// the logs and the listening socket.
        var reservedFiles: Int
        var maximumHeaderBytes: Int
        var maximumBodyBytes: Int
        /// How long `shutdown` lets in-flight requests finish before it closes their connections.
        var shutdownGrace: TimeAmount
    }

    private struct Listening {
        let channel: any Channel
        let quiesce: ServerQuiescingHelper
    }

    private let application: Application
    private let defaultAddress: BindAddress
    private let limits: Limits
    private let listening = NIOLockedValueBox<Listening?>(nil)

    init(application: Application, host: String, port: Int, limits: Limits) {
        self.application = application
        self.defaultAddress = .hostname(host, port: port)
        self.limits = limits
    }

    var localAddress: SocketAddress? { listening.withLockedValue { $0?.channel.localAddress } }

    var onShutdown: EventLoopFuture<Void> {
        guard let listening = listening.withLockedValue({ $0 }) else { fatalError("The server has not started") }
        return listening.channel.closeFuture
    }

    func start(address: BindAddress?) async throws {
        try await bind(address ?? defaultAddress).get()
    }

    @available(*, noasync, message: "Use the async start(address:).")
    func start(address: BindAddress?) throws {
        try bind(address ?? defaultAddress).wait()
    }

    /// Stops accepting at once and lets in-flight requests finish for up to the grace period: idle keep-alive
    /// connections close straight away, busy ones after their response. Past the grace period it returns anyway,
    /// as Vapor's server does, and the process's exit closes what is left.
    func shutdown() async {
        guard
            let listening = listening.withLockedValue({ state in
                defer { state = nil }
                return state
            })
        else { return }
        let logger = application.logger
        let drained = listening.channel.eventLoop.makePromise(of: Void.self)
        listening.channel.eventLoop.scheduleTask(in: limits.shutdownGrace) { drained.fail(GraceExpired()) }
        listening.quiesce.initiateShutdown(promise: drained)
        do {
            try await drained.futureResult.get()
            logger.debug("HTTP server stopped")
        } catch {
            logger.warning("Requests were still running when the shutdown grace period ended")
        }
    }

    @available(*, noasync, message: "Use the async shutdown().")
    func shutdown() {
        let done = application.eventLoopGroup.any().makePromise(of: Void.self)
        done.completeWithTask { await self.shutdown() }
        try? done.futureResult.wait()
    }

    private func bind(_ address: BindAddress) -> EventLoopFuture<Void> {
        let quiesce = ServerQuiescingHelper(group: application.eventLoopGroup)
        let openFiles = OpenFileLimit.raiseToHardLimit()
        let maximum = ConnectionCap.fitting(
            configured: limits.maximumConnections, openFiles: openFiles, reserved: limits.reservedFiles)
        if maximum < limits.maximumConnections, let openFiles {
            application.logger.warning(
                """
                MAX_CONNECTIONS=\(limits.maximumConnections) does not fit under this process's limit of \(openFiles) \
                open files (\(limits.reservedFiles) kept for the database and files): serving at most \(maximum) \
                connections at once. Raise the limit (ulimit -n, or the container's nofile) to serve more.
                """)
        }
        let pipeline = ConnectionPipeline(
            application: application, responder: application.responder.current, limits: limits,
            cap: ConnectionCap(maximum: maximum, logger: application.logger))
        let bootstrap = ServerBootstrap(group: application.eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try pipeline.configure(channel) }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 1)
            // A client that sends its requests and then its FIN (`shutdown(SHUT_WR)`) still gets its answers, as
            // from nginx: NIO's pipelining handler answers what was read, then closes.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let bound =
            switch address {
            case .hostname(let host, let port):
                bootstrap.bind(
                    host: host ?? defaultAddress.host ?? "127.0.0.1", port: port ?? defaultAddress.port ?? 8000)
            case .unixDomainSocket(let path):
                bootstrap.bind(unixDomainSocketPath: path)
            }
        let logger = application.logger
        return bound.flatMapThrowing { channel in
            try self.listening.withLockedValue { listening in
                guard listening == nil else { throw ServerAlreadyStarted() }
                listening = Listening(channel: channel, quiesce: quiesce)
            }
            logger.notice("Server started on \(Self.describe(channel.localAddress, requested: address))")
        }.flatMapErrorThrowing { error in
            quiesce.initiateShutdown(promise: nil)
            throw error
        }
    }

    /// As Vapor's server says it, which scripts and people look for.
    private static func describe(_ local: SocketAddress?, requested: BindAddress) -> String {
        if let path = local?.pathname { return "unix:\(path)" }
        if let host = local?.ipAddress, let port = local?.port { return "http://\(host):\(port)" }
        return "\(requested)"
    }
}

private struct GraceExpired: Error {}

private struct ServerAlreadyStarted: Error, CustomStringConvertible {
    var description: String { "The HTTP server is already listening" }
}

extension BindAddress {
    fileprivate var host: String? {
        if case .hostname(let host, _) = self { host } else { nil }
    }
    fileprivate var port: Int? {
        if case .hostname(_, let port) = self { port } else { nil }
    }
}

extension ServiceServer.Limits {
    init(_ settings: Settings) {
        let resilience = settings.resilience
        self.init(
            idleTimeout: TimeAmount(resilience.idleTimeout), headerTimeout: TimeAmount(resilience.headerTimeout),
            maximumConnections: resilience.maximumConnections, reservedFiles: settings.databasePoolSize + 64,
            maximumHeaderBytes: Settings.maximumHeaderBytes,
            maximumBodyBytes: Settings.maximumBodyBytes,
            shutdownGrace: TimeAmount(resilience.shutdownGrace))
    }
}
