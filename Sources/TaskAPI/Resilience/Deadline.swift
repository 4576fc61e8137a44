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
/// closed under it. The timer is a task scheduled on the current event loop: a `Task.sleep` went through a
/// Dispatch timer and a task of its own for every write.
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T)
    async throws -> T
{
    let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.next()
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
        race.startTimer(
            loop.scheduleTask(in: TimeAmount(limit)) {
                guard race.settle() else { return }
                work.cancel()
                continuation.resume(throwing: DatabaseDeadlineExceeded())
            })
    }
}

/// Which of the work and the timer finished first; the other one's outcome is dropped.
private final class DeadlineRace: Sendable {
    private let state = Mutex<(settled: Bool, timer: Scheduled<Void>?)>((false, nil))

    /// True for the first caller only.
    func settle() -> Bool {
        state.withLock { state in
            defer { state.settled = true }
            return !state.settled
        }
    }

    func startTimer(_ timer: Scheduled<Void>) {
        let settled = state.withLock { state in
            state.timer = timer
            return state.settled
        }
        if settled { timer.cancel() }
    }

    func cancelTimer() {
        state.withLock { $0.timer }?.cancel()
    }
}
