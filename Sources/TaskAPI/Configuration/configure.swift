import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import OpenAPIRuntime
import Prometheus
import TaskAPIContract
import Vapor

/// Builds the whole service on `app`: the one function `main` and every test call. `clock` is the system's
/// except in tests that move time.
public func configure(_ app: Application, settings: Settings, clock: WallClock = .system) async throws {
    app.logger.logLevel = settings.logLevel
    let server = ServiceServer(
        application: app, host: settings.host, port: settings.port, limits: .init(settings))
    app.servers.use { _ in server }

    try await configureDatabase(
        app, settings.database, poolSize: settings.databasePoolSize, timeout: settings.resilience.databaseTimeout,
        idleTimeout: settings.resilience.databaseIdleTimeout)
    app.migrations.add(SchemaMigrations.all)
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    await app.jwt.keys.add(hmac: HMACKey(from: settings.jwtSecret), digestAlgorithm: .sha256)

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    // CORS next: it answers preflights itself, and adds its headers to every answer, errors included.
    if !settings.corsOrigins.isEmpty {
        app.middleware.use(CORSMiddleware(configuration: .api(allowing: settings.corsOrigins)))
    }
    app.middleware.use(AccessLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    let outage = DatabaseOutage(logger: app.logger, stragglerWindow: settings.resilience.databaseTimeout) {
        try await app.db.sql().raw("SELECT 1").run()
    }
    app.lifecycle.use(outage)
    app.middleware.use(ErrorMiddleware(routes: app.routes, outage: outage))
    app.middleware.use(BodyLimitMiddleware(maximumBytes: Settings.maximumBodyBytes))
    app.middleware.use(CurrentRequest.Middleware())

    // The request's own logger (its lines carry the request id) and event loop (no hop to another thread).
    // Counting pool waits has the pool format its trace lines for every connection it lends: only when the gauge
    // can be read.
    let countPoolWaits = settings.observability.metricsEnabled
    // Vapor counts every request into the metrics system, which `main` has bootstrapped: 2 to 3 µs a request,
    // 5% of a 401's CPU, for series that only `/metrics` reads.
    app.http.server.configuration.reportMetrics = settings.observability.metricsEnabled
    let database: @Sendable () throws -> any Database = {
        let request = CurrentRequest.value
        let logger = request?.logger ?? app.logger
        // None once the application has shut its databases down: a request still running then gets 503.
        guard
            let database = app.databases.database(
                logger: countPoolWaits ? logger.countingPoolWaits : logger,
                on: request?.eventLoop ?? app.eventLoopGroup.any())
        else { throw ConnectionPoolError.shutdown }
        return database
    }
    let tokens = AccessTokens(
        keys: app.jwt.keys, lifetime: settings.accessTokenLifetime, issuer: settings.sessions.issuer,
        audience: settings.sessions.audience)
    let sessions = SessionService(
        policy: SessionPolicy(refreshLifetime: settings.sessions.refreshTokenLifetime), tokens: tokens,
        database: database, clock: clock, writeDeadline: settings.resilience.databaseTimeout)
    let throttle = LoginThrottle(settings.throttling, database: database, clock: clock)
    let bcrypt = BcryptThreads()
    app.lifecycle.use(bcrypt)
    let handlers = APIHandlers(
        database: database, passwords: PasswordVault(hasher: { app.password.sync }, threads: bcrypt),
        sessions: sessions,
        throttle: throttle, trustedProxies: settings.throttling.trustedProxies,
        writeDeadline: settings.resilience.databaseTimeout)
    // Authentication comes first, so an anonymous request gets 401 before any validation error; the direct JSON
    // reads come last, once the request has passed every check.
    try handlers.registerHandlers(
        on: CollectedBodyTransport(routes: app),
        configuration: Configuration(
            dateTranscoder: ISO8601Dates(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
        middlewares: [
            BearerAuthMiddleware(index: .served, tokens: tokens, database: database, clock: clock),
            ParameterValidationMiddleware(index: .served),
            DirectTaskReads(listTasks: handlers.listTasks, readTask: handlers.readTask),
        ])
    try app.register(collection: DocsRoutes(assets: settings.docsAssets, title: "Task API"))
    if settings.observability.metricsEnabled {
        try app.register(
            collection: MetricsRoutes(
                registry: PrometheusMetricsFactory.defaultRegistry, token: settings.observability.metricsToken))
    }

    let janitor = Janitor(sessions: sessions, throttle: throttle, logger: app.logger)
    app.lifecycle.use(janitor)
    app.asyncCommands.use(SchemaCommand(), as: "schema")
    app.asyncCommands.use(
        ServeCommandWithMigrations(
            autoMigrate: settings.autoMigrate, ephemeralSecret: settings.jwtSecretIsEphemeral, janitor: janitor),
        as: "serve", isDefault: true)
}

extension CORSMiddleware.Configuration {
    /// Bearer-token API access from the given origins (`*` for any).
    static func api(allowing origins: [String]) -> CORSMiddleware.Configuration {
        CORSMiddleware.Configuration(
            allowedOrigin: origins == ["*"] ? .all : .any(origins),
            allowedMethods: [.GET, .POST, .PUT, .PATCH, .DELETE, .OPTIONS],
            allowedHeaders: [.accept, .authorization, .contentType, .origin],
            exposedHeaders: [HTTPHeaders.Name("X-Total-Count"), .xRequestId, .retryAfter]
        )
    }
}
