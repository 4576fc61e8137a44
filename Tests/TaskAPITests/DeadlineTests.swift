import Foundation
import NIOPosix
import Synchronization
import Testing

@testable import TaskAPI

/// `withDeadline` returns by its limit whatever the work does, and otherwise returns the work's own outcome.
@Suite struct DeadlineTests {
    /// Off the event loops the timer is a sleeping task on Swift's pool, which the rest of the suite can keep busy
    /// for many seconds: the bound is that it fires at all, and not before its time.
    @Test(.timeLimit(.minutes(1))) func workThatNeverEndsIsAbandonedAtTheDeadline() async throws {
        let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let start = ContinuousClock.now
        await #expect(throws: DatabaseDeadlineExceeded.self) {
            try await withDeadline(.milliseconds(200)) {
                // Ignores cancellation, as a query written to a dead connection does.
                await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
            }
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(200), "\(elapsed)")
        parked.withLock { $0 }?.resume()
    }

    @Test func workThatEndsInTimeGivesItsOwnOutcome() async throws {
        #expect(try await withDeadline(.seconds(5)) { 42 } == 42)
        await #expect(throws: CancellationError.self) {
            try await withDeadline(.seconds(5)) { throw CancellationError() }
        }
    }

    /// On an event loop, as in the server, the timer is a task scheduled on that loop (off the loops, as in the
    /// tests above, it is a sleeping task). It fires there once its time is up, and never once cancelled.
    @Test func onAnEventLoopTheTimerIsThatLoopsAndCanBeCancelled() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let fired = loop.makePromise(of: Bool.self)
        _ = deadlineTimer(after: .milliseconds(50), on: loop) { fired.succeed(loop.inEventLoop) }
        let cancelledFired = Mutex(false)
        let cancel = deadlineTimer(after: .milliseconds(50), on: loop) { cancelledFired.withLock { $0 = true } }
        cancel()
        #expect(try await fired.futureResult.get(), "fired on the loop it was scheduled on")
        // Both were due at the same time on the same loop: the cancelled one would have run by now.
        try await loop.submit {}.get()
        #expect(cancelledFired.withLock { $0 } == false, "a cancelled timer never fires")
    }
}
