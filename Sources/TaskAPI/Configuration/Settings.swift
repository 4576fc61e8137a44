import Foundation
import Vapor

/// Everything the service can be told from outside, read once at start-up (see `Settings+Environment.swift`).
public struct Settings: Sendable {
    /// Where the data lives.
    public enum Database: Sendable, Equatable {
        /// A PostgreSQL server, from a `postgres://` or `postgresql://` URL.
        case postgres(url: String)
        /// An SQLite file: the embedded default, which needs nothing installed.
        case sqliteFile(path: String)
        /// A private in-memory SQLite database, gone with the process (tests).
        case sqliteInMemory
    }

    /// The script and style sheet URLs of the documentation pages, so an offline deployment can serve local copies.
    public struct DocsAssets: Sendable, Equatable {
        public var swaggerUIScript: String
        public var swaggerUIStyleSheet: String
        public var redocScript: String

        /// The public CDN copies, as FastAPI uses.
        public static let cdn = DocsAssets(
            swaggerUIScript: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js",
            swaggerUIStyleSheet: "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css",
            redocScript: "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
        )

        public init(swaggerUIScript: String, swaggerUIStyleSheet: String, redocScript: String) {
            self.swaggerUIScript = swaggerUIScript
            self.swaggerUIStyleSheet = swaggerUIStyleSheet
            self.redocScript = redocScript
        }
    }

    public var host: String
    public var port: Int
    public var database: Database
    /// PostgreSQL connections per process, spread evenly over the event loops (rounded up to a multiple of their
    /// number): each request uses a connection of its own loop.
    public var databasePoolSize: Int
    /// The HS256 signing secret; at least `Settings.minimumSecretBytes` bytes.
    public var jwtSecret: String
    /// Whether `jwtSecret` was made up for this process (development without `JWT_SECRET`): `serve` warns that
    /// tokens will not survive a restart.
    public var jwtSecretIsEphemeral: Bool
    public var accessTokenLifetime: Duration
    public var bcryptCost: Int
    /// Origins allowed by CORS; empty turns CORS off, `["*"]` allows any origin.
    public var corsOrigins: [String]
    public var docsAssets: DocsAssets
    public var logLevel: Logger.Level
    /// Whether `serve` applies pending migrations before it listens.
    public var autoMigrate: Bool
    public var sessions: Sessions
    public var throttling: Throttling
    public var observability: Observability
    public var resilience: Resilience

    /// Sixteen connections per core, at most 64. A request that finds every connection of its event loop taken
    /// waits in the pool's queue, and on 2 cores with 32 concurrent requests a pool of 8 cost a read 20% more of
    /// the server's CPU and a create a third more than a pool of 32 (docs/benchmarks.md, item 20). At most 64, the
    /// old default's worst case (4 per core on 16 cores): one replica fits PostgreSQL's default 100 connections
    /// with room to spare; docs/scaling.md sizes it for several.
    public static let defaultDatabasePoolSize = min(16 * System.coreCount, 64)
    public static let minimumSecretBytes = 32
    /// The largest request body accepted; larger ones get 413.
    public static let maximumBodyBytes = 1 << 20
    /// The largest request header section accepted, as nginx's default `large_client_header_buffers`; larger ones
    /// get 431.
    public static let maximumHeaderBytes = 16 * 1024

    public init(
        host: String = "127.0.0.1",
        port: Int = 8000,
        database: Database = .sqliteFile(path: "task-api.sqlite"),
        databasePoolSize: Int = Settings.defaultDatabasePoolSize,
        jwtSecret: String,
        jwtSecretIsEphemeral: Bool = false,
        accessTokenLifetime: Duration = .seconds(30 * 60),
        bcryptCost: Int = 12,
        corsOrigins: [String] = [],
        docsAssets: DocsAssets = .cdn,
        logLevel: Logger.Level = .info,
        autoMigrate: Bool = true,
        sessions: Sessions = Sessions(),
        throttling: Throttling = Throttling(),
        observability: Observability = Observability(),
        resilience: Resilience = Resilience()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.databasePoolSize = databasePoolSize
        self.jwtSecret = jwtSecret
        self.jwtSecretIsEphemeral = jwtSecretIsEphemeral
        self.accessTokenLifetime = accessTokenLifetime
        self.bcryptCost = bcryptCost
        self.corsOrigins = corsOrigins
        self.docsAssets = docsAssets
        self.logLevel = logLevel
        self.autoMigrate = autoMigrate
        self.sessions = sessions
        self.throttling = throttling
        self.observability = observability
        self.resilience = resilience
    }
}
