import NIOCore
import NIOPosix
import Synchronization

/// Thrown when database work outlives its deadline; answered 503 like any other unavailability.
struct DatabaseDeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "database work outlived its deadline" }
}

/// Runs `operation`, but returns by `limit` whatever happens: past it, the caller gets `DatabaseDeadlineExceeded`
/// and `operation` is cancelled and left to finish (or not) on its own. A structured task group would wait for
/// it, and the case this exists for is a query PostgresNIO never completes: one written to a connection that
/// closed under it.
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    let race = DeadlineRace()
    return try await withCheckedThrowingContinuation { continuation in
        let work = Task {
            let result: Result<T, any Error>
            do {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            if race.settle() {
                race.cancelTimer()
                continuation.resume(with: result)
            }
        }
        let expire: @Sendable () -> Void = {
            guard race.settle() else { return }
            work.cancel()
            continuation.resume(throwing: DatabaseDeadlineExceeded())
        }
        race.startTimer(cancel: deadlineTimer(after: limit, on: MultiThreadedEventLoopGroup.currentEventLoop, expire))
    }
}

/// Calls `expire` after `limit` unless the returned closure cancels it first. The timer runs where the work runs.
/// On an event loop (the server's, whose loops are Swift's global executor) it is a task scheduled on that loop: a
/// `Task.sleep` goes through a Dispatch timer on a thread of its own, for every write. Elsewhere (tests, on Swift's
/// own pool) a sleeping task waits behind the same threads as the work, so a busy pool cannot expire work that has
/// not had a chance to run.
func deadlineTimer(
    after limit: Duration, on loop: (any EventLoop)?, _ expire: @escaping @Sendable () -> Void
) -> @Sendable () -> Void {
    if let loop {
        let timer = loop.scheduleTask(in: TimeAmount(limit), expire)
        return { timer.cancel() }
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        if !Task.isCancelled { expire() }
    }
    return { timer.cancel() }
}

/// Which of the work and the timer finished first; the other one's outcome is dropped.
private final class DeadlineRace: Sendable {
    private let state = Mutex<(settled: Bool, cancelTimer: (@Sendable () -> Void)?)>((false, nil))

    /// True for the first caller only.
    func settle() -> Bool {
        state.withLock { state in
            defer { state.settled = true }
            return !state.settled
        }
    }

    func startTimer(cancel: @escaping @Sendable () -> Void) {
        let settled = state.withLock { state in
            state.cancelTimer = cancel
            return state.settled
        }
        if settled { cancel() }
    }

    func cancelTimer() {
        state.withLock { $0.cancelTimer }?()
    }
}
