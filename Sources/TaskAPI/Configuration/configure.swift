import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import JWT
import OpenAPIRuntime
import OpenAPIVapor
import Prometheus
import TaskAPIContract
import Vapor

/// Builds the whole service on `app`: the one function `main` and every test call. `clock` is the system's
/// except in tests that move time.
public func configure(_ app: Application, settings: Settings, clock: WallClock = .system) async throws {
    app.logger.logLevel = settings.logLevel
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port

    try await configureDatabase(app, settings.database)
    app.migrations.add(SchemaMigrations.all)
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    await app.jwt.keys.add(hmac: HMACKey(from: settings.jwtSecret), digestAlgorithm: .sha256)

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(AccessLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ErrorMiddleware(routes: app.routes))
    if !settings.corsOrigins.isEmpty {
        app.middleware.use(CORSMiddleware(configuration: .api(allowing: settings.corsOrigins)), at: .beginning)
    }
    app.middleware.use(BodyLimitMiddleware(maximumBytes: Settings.maximumBodyBytes))
    app.middleware.use(CurrentRequest.Middleware())

    let database: @Sendable () -> any Database = { app.db }
    let tokens = AccessTokens(
        keys: app.jwt.keys, lifetime: settings.accessTokenLifetime, issuer: settings.sessions.issuer,
        audience: settings.sessions.audience)
    let sessions = SessionService(
        policy: SessionPolicy(refreshLifetime: settings.sessions.refreshTokenLifetime), tokens: tokens,
        database: database, clock: clock)
    let throttle = LoginThrottle(settings.throttling, database: database, clock: clock)
    let handlers = APIHandlers(
        database: database, passwords: PasswordVault(hasher: { app.password.async }), sessions: sessions,
        throttle: throttle, trustedProxies: settings.throttling.trustedProxies)
    // Authentication comes first, so an anonymous request gets 401 before any validation error.
    try handlers.registerHandlers(
        on: VaporTransport(routesBuilder: app),
        configuration: Configuration(
            dateTranscoder: ISO8601Dates(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
        middlewares: [
            BearerAuthMiddleware(index: .served, tokens: tokens, database: database, clock: clock),
            ParameterValidationMiddleware(index: .served),
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
        ServeCommandWithMigrations(autoMigrate: settings.autoMigrate, janitor: janitor), as: "serve", isDefault: true)
}

private func configureDatabase(_ app: Application, _ database: Settings.Database) async throws {
    switch database {
    case .postgres(let url):
        app.databases.use(try .postgres(url: url), as: .psql)
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
        // Write-ahead logging (kept by the file once set): a commit appends to the log instead of rewriting a
        // rollback journal, and readers no longer wait for a writer.
        try await app.db.sql().raw("PRAGMA journal_mode = WAL").run()
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    }
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
