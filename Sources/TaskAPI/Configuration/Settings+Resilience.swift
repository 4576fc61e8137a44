extension Settings {
    /// How the service behaves when the database or clients misbehave, and how it stops.
    public struct Resilience: Sendable, Equatable {
        /// The longest a request waits for a database connection, and the longest a PostgreSQL statement runs
        /// (`statement_timeout`); past it the request gets 503.
        public var databaseTimeout: Duration
        /// A PostgreSQL connection left unused this long is closed, and opened again when requests need it: a burst
        /// leaves no server processes behind it on the database.
        public var databaseIdleTimeout: Duration
        /// Idle keep-alive connections close after this long.
        public var idleTimeout: Duration
        /// A request's header section must arrive within this long of its first byte (of the connection's opening,
        /// for a first request), as nginx's `client_header_timeout`: a client that sends it a byte at a time
        /// (slowloris) is closed.
        public var headerTimeout: Duration
        /// Open connections past this many get a 503 and are closed, so that a flood of connections cannot take
        /// the memory and file descriptors the others need.
        public var maximumConnections: Int
        /// After SIGTERM, how long in-flight requests may take to finish before the process exits anyway.
        public var shutdownGrace: Duration

        public init(
            databaseTimeout: Duration = .seconds(2), databaseIdleTimeout: Duration = .seconds(300),
            idleTimeout: Duration = .seconds(60),
            headerTimeout: Duration = .seconds(10), maximumConnections: Int = 10_000,
            shutdownGrace: Duration = .seconds(10)
        ) {
            self.databaseTimeout = databaseTimeout
            self.databaseIdleTimeout = databaseIdleTimeout
            self.idleTimeout = idleTimeout
            self.headerTimeout = headerTimeout
            self.maximumConnections = maximumConnections
            self.shutdownGrace = shutdownGrace
        }
    }
}
