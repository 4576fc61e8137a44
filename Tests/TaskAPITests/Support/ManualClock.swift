import Foundation
import Synchronization

@testable import TaskAPI

/// A clock a test moves by hand, to cross grace windows, waits and expiries without sleeping.
final class ManualClock: Sendable {
    private let current = Mutex(Date())

    var now: Date { current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    var wallClock: WallClock { WallClock { [self] in now } }
}
