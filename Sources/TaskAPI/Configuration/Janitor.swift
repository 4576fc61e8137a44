import Synchronization
import Vapor

/// Deletes what no longer matters, every `interval` while the server runs: expired and long-revoked sessions with
/// their refresh tokens, and throttle counters that limit nothing any more. Every replica runs one; the deletes
/// are idempotent, so they never conflict.
final class Janitor: LifecycleHandler, Sendable {
    let interval: Duration
    private let sessions: SessionService
    private let throttle: LoginThrottle
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(sessions: SessionService, throttle: LoginThrottle, logger: Logger, interval: Duration = .seconds(600)) {
        self.sessions = sessions
        self.throttle = throttle
        self.logger = logger
        self.interval = interval
    }

    /// Sweeps now, then every `interval`, until shutdown.
    func start() {
        let work = Task { [sessions, throttle, logger, interval] in
            while !Task.isCancelled {
                do {
                    try await sessions.purgeEnded()
                    try await throttle.purgeStale()
                } catch {
                    logger.warning(
                        "Purging ended sessions failed; retrying in \(interval)",
                        metadata: ["error": "\(DatabaseUnavailable.summary(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = work }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLock { $0 }?.cancel()
    }
}
