import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Counts the connections being served and admits a new one only below `maximum`; each admitted connection
/// leaves the count when it closes. The log says once when refusals begin and once when they end, with how many
/// were refused, rather than a line per connection in a flood.
final class ConnectionCap: Sendable {
    private struct Count {
        var open = 0
        var refusedSinceFull = 0
    }

    let maximum: Int
    private let logger: Logger
    private let count = NIOLockedValueBox(Count())

    init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    /// The most connections that fit under `openFiles`, the process's open-file limit, once `reserved` are kept for
    /// the database and the files the service opens; `configured` when it fits or the limit is unknown.
    static func fitting(configured: Int, openFiles: Int?, reserved: Int) -> Int {
        guard let openFiles else { return configured }
        return max(1, min(configured, openFiles - reserved))
    }

    func admit(_ channel: any Channel) -> Bool {
        let (admitted, refusedBefore) = count.withLockedValue { count -> (Bool, Int) in
            guard count.open < maximum else {
                count.refusedSinceFull += 1
                return (false, count.refusedSinceFull - 1)
            }
            count.open += 1
            defer { count.refusedSinceFull = 0 }
            return (true, count.refusedSinceFull)
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.count.withLockedValue { $0.open -= 1 } }
            if refusedBefore > 0 {
                logger.notice("Accepting connections again after refusing \(refusedBefore) (MAX_CONNECTIONS)")
            }
        } else if refusedBefore == 0 {
            logger.warning("\(maximum) connections are open (MAX_CONNECTIONS): refusing new ones with 503")
        }
        return admitted
    }
}
