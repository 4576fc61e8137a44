import Synchronization

/// The format new log handlers take. The logging system is bootstrapped before the settings can be read (a
/// `.env` file is loaded with the application), so `main` flips this once they are.
public final class LogFormatSwitch: Sendable {
    private let format = Mutex(ServiceLogHandler.Format.text)

    public init() {}

    public var current: ServiceLogHandler.Format {
        get { format.withLock { $0 } }
        set { format.withLock { $0 = newValue } }
    }
}
