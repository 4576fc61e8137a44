extension Settings {
    /// How the service behaves when the database or clients misbehave, and how it stops.
    public struct Resilience: Sendable, Equatable {
        /// The longest a request waits for a database connection, and the longest a PostgreSQL statement runs
        /// (`statement_timeout`); past it the request gets 503.
        public var databaseTimeout: Duration
        /// Idle keep-alive connections close after this long.
        public var idleTimeout: Duration
        /// After SIGTERM, how long in-flight requests may take to finish before the process exits anyway.
        public var shutdownGrace: Duration

        public init(
            databaseTimeout: Duration = .seconds(2), idleTimeout: Duration = .seconds(60),
            shutdownGrace: Duration = .seconds(10)
        ) {
            self.databaseTimeout = databaseTimeout
            self.idleTimeout = idleTimeout
            self.shutdownGrace = shutdownGrace
        }
    }
}
