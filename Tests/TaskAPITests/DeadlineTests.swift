import Foundation
import Synchronization
import Testing

@testable import TaskAPI

/// `withDeadline` returns by its limit whatever the work does, and otherwise returns the work's own outcome.
@Suite struct DeadlineTests {
    @Test func workThatNeverEndsIsAbandonedAtTheDeadline() async throws {
        let parked = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let start = ContinuousClock.now
        await #expect(throws: DatabaseDeadlineExceeded.self) {
            try await withDeadline(.milliseconds(200)) {
                // Ignores cancellation, as a query written to a dead connection does.
                await withCheckedContinuation { continuation in parked.withLock { $0 = continuation } }
            }
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(200) && elapsed < .seconds(10), "\(elapsed)")
        parked.withLock { $0 }?.resume()
    }

    @Test func workThatEndsInTimeGivesItsOwnOutcome() async throws {
        #expect(try await withDeadline(.seconds(5)) { 42 } == 42)
        await #expect(throws: CancellationError.self) {
            try await withDeadline(.seconds(5)) { throw CancellationError() }
        }
    }
}
