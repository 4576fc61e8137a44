import Foundation
import Synchronization
import Vapor

/// Reports a database outage once, when the first request fails, and its end once, with how many requests
/// failed in between, instead of an error line per request. While the database is down, a probe asks it every
/// `probeInterval` whether it is back; shutting the application down stops the probe.
final class DatabaseOutage: LifecycleHandler, Sendable {
    static let probeInterval: Duration = .milliseconds(250)

    private struct State {
        var since: ContinuousClock.Instant?
        var failedRequests = 0
        var probe: Task<Void, Never>?
        /// When the last outage ended: requests that waited for a connection through it may still time out for
        /// up to `stragglerWindow` after, without starting a new outage.
        var recovered: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    private let logger: Logger
    private let probe: @Sendable () async throws -> Void

    /// `probe` runs a trivial query and throws while the database is down.
    private let stragglerWindow: Duration

    /// `probe` runs a trivial query and throws while the database is down; `stragglerWindow` is the longest a
    /// request waits for a connection.
    init(logger: Logger, stragglerWindow: Duration, probe: @escaping @Sendable () async throws -> Void) {
        self.logger = logger
        self.stragglerWindow = stragglerWindow
        self.probe = probe
    }

    var isOngoing: Bool { state.withLock { $0.since != nil } }

    /// Counts a request the database failed; the first of an outage is logged and starts the probe.
    func recordFailure(_ error: any Error) {
        let started = state.withLock { state in
            if state.since == nil, let recovered = state.recovered, ContinuousClock.now - recovered < stragglerWindow {
                return false
            }
            state.failedRequests += 1
            guard state.since == nil else { return false }
            state.since = .now
            state.probe = Task { await self.watchForRecovery() }
            return true
        }
        guard started else { return }
        logger.error(
            "Database unavailable: answering 503 until it is back",
            metadata: ["error": "\(DatabaseUnavailable.summary(of: error))"])
    }

    func shutdownAsync(_ application: Application) async {
        state.withLock { $0.probe }?.cancel()
    }

    private func watchForRecovery() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.probeInterval)
            guard !Task.isCancelled, (try? await probe()) != nil else { continue }
            let ended = state.withLock { state in
                defer { state = State(recovered: .now) }
                return (state.since.map { ContinuousClock.now - $0 } ?? .zero, state.failedRequests)
            }
            logger.notice(
                "Database available again",
                metadata: [
                    "outage_seconds":
                        "\(ended.0.inSeconds)",
                    "failed_requests": "\(ended.1)",
                ])
            return
        }
    }
}
