import AsyncKit
import NIOCore
import NIOPosix
import PostgresNIO
import SQLiteNIO

/// Whether an error means the database cannot serve right now (down, unreachable, overloaded, a statement
/// cancelled at its deadline) rather than that the request or the code is wrong. Such errors are answered 503
/// with `Retry-After`, never 500.
enum DatabaseUnavailable {
    static func matches(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            guard error.code == .server else { return true }  // connection refused, closed, timed out...
            // Connection exceptions (08), operator intervention such as statement_timeout or a shutdown (57),
            // insufficient resources (53).
            let state = error.serverInfo?[.sqlState] ?? ""
            return ["08", "57", "53"].contains(String(state.prefix(2)))
        case is ConnectionPoolTimeoutError, is ConnectionPoolError, is NIOConnectionError, is IOError, is ChannelError,
            is DatabaseDeadlineExceeded:
            return true
        case let error as SQLiteError:
            return [.busy, .locked, .ioError, .full, .cantOpen, .noMemory].contains(error.reason)
        default:
            return false
        }
    }

    /// What went wrong, without the query or its bound values (PostgresNIO's full description holds both).
    static func summary(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        return "PSQLError \(error.code)" + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
    }
}
