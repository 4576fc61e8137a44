import Logging
import Metrics
import Synchronization

/// Counts the requests waiting for a database connection, as the gauge `taskapi_database_pool_waiting`.
///
/// Fluent's connection pool (AsyncKit) keeps its wait list to itself; what it does expose is a trace line when a
/// request joins the list and another when its wait ends, served or timed out. The database logger passes those
/// two lines through this handler, which counts them, and forwards everything else at the level it was asked for.
/// `PoolWaitCounterTests` fails if a new AsyncKit words them differently.
///
/// The pool hands the same logger to the connections it opens, and at trace level PostgresNIO describes every step
/// of every query for a log line that is then dropped: a profile found that took 27% of the server's CPU. So a copy
/// of this logger that a PostgreSQL connection has claimed (PostgresNIO tags it with `psql_connection_id`) goes
/// back to the wrapped level.
struct PoolWaitCounter: LogHandler {
    static let joined = "Adding connection request to waitlist"
    static let left = "Connection request completed"

    private static let waiting = Atomic<Int>(0)

    static let connectionKey = "psql_connection_id"

    var wrapped: any LogHandler
    /// Whether this copy belongs to a PostgreSQL connection rather than to a request for one.
    private var claimedByConnection = false

    init(wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set {
            wrapped.metadata = newValue
            claimedByConnection = newValue[Self.connectionKey] != nil
        }
    }

    /// Trace, so the pool's two lines reach `log(event:)`; the wrapped handler keeps its own level.
    var logLevel: Logger.Level {
        get { claimedByConnection ? wrapped.logLevel : .trace }
        set { wrapped.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set {
            wrapped[metadataKey: key] = newValue
            if key == Self.connectionKey { claimedByConnection = newValue != nil }
        }
    }

    func log(event: LogEvent) {
        if event.level == .trace {
            switch event.message.description {
            case Self.joined: Self.record(Self.waiting.add(1, ordering: .relaxed).newValue)
            case Self.left: Self.record(Self.waiting.subtract(1, ordering: .relaxed).newValue)
            default: break
            }
        }
        guard event.level >= wrapped.logLevel else { return }
        wrapped.log(event: event)
    }

    private static func record(_ value: Int) {
        Gauge(label: "taskapi_database_pool_waiting").record(value)
    }
}

extension Logger {
    /// This logger, counting the requests that wait for a database connection on the way.
    var countingPoolWaits: Logger {
        Logger(label: label) { [handler] _ in PoolWaitCounter(wrapped: handler) }
    }
}
