import Logging
import Synchronization

@testable import TaskAPI

/// Collects every line a `ServiceLogHandler` writes, for asserting what the logs hold.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func logger(format: ServiceLogHandler.Format, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "capture") { [self] label in
            ServiceLogHandler(label: label, level: level, format: format) { line in
                self.lines.withLock { $0.append(line) }
            }
        }
        logger.logLevel = level
        return logger
    }
}
