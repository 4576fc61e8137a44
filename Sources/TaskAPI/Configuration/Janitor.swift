import Synchronization
import Vapor

/// Deletes what no longer matters, every `interval` while the server runs: expired and long-revoked sessions with
/// their refresh tokens, and throttle counters that limit nothing any more. Every replica runs one; the deletes
/// are idempotent, so they never conflict.
final class Janitor: LifecycleHandler, Sendable {
    static let interval: Duration = .seconds(600)

    private let sessions: SessionService
    private let throttle: LoginThrottle
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(sessions: SessionService, throttle: LoginThrottle, logger: Logger) {
        self.sessions = sessions
        self.throttle = throttle
        self.logger = logger
    }

    /// Sweeps now, then every `interval`, until shutdown.
    func start() {
        let work = Task { [sessions, throttle, logger] in
            while !Task.isCancelled {
                do {
                    try await sessions.purgeEnded()
                    try await throttle.purgeStale()
                } catch {
                    logger.warning(
                        "Purging ended sessions failed; retrying in \(Self.interval)",
                        metadata: ["error": "\(DatabaseUnavailable.summary(of: error))"])
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
        task.withLock { $0 = work }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLock { $0 }?.cancel()
    }
}
