import Foundation
import Vapor

/// A configuration value that stops start-up; the message names the variable so the fix is obvious.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let variable: String
    public let problem: String

    public var description: String { "Invalid configuration: \(variable) \(problem)" }
}

extension Settings {
    /// Reads and validates every setting from environment variables (Vapor has already merged a `.env` file in).
    /// An empty value counts as unset, so compose files can pass `${VAR:-}` through.
    public static func load(from variables: [String: String], environment: Environment) throws -> Settings {
        let reader = VariableReader(variables: variables)
        let secret = try reader.jwtSecret(environment: environment)
        return Settings(
            host: reader.string("HOST") ?? "127.0.0.1",
            port: try reader.integer("PORT", in: 1...65_535) ?? 8000,
            database: try reader.database(),
            databasePoolSize: try reader.integer("DATABASE_POOL_SIZE", in: 1...1000) ?? defaultDatabasePoolSize,
            jwtSecret: secret.secret,
            jwtSecretIsEphemeral: secret.ephemeral,
            accessTokenLifetime: .seconds(
                60 * (try reader.integer("ACCESS_TOKEN_EXPIRE_MINUTES", in: 1...525_600) ?? 30)),
            bcryptCost: try reader.integer("BCRYPT_COST", in: 4...31) ?? 12,
            corsOrigins: reader.list("CORS_ORIGINS"),
            docsAssets: DocsAssets(
                swaggerUIScript: try reader.url("SWAGGER_UI_JS_URL") ?? DocsAssets.cdn.swaggerUIScript,
                swaggerUIStyleSheet: try reader.url("SWAGGER_UI_CSS_URL") ?? DocsAssets.cdn.swaggerUIStyleSheet,
                redocScript: try reader.url("REDOC_JS_URL") ?? DocsAssets.cdn.redocScript
            ),
            logLevel: try reader.logLevel("LOG_LEVEL") ?? .info,
            autoMigrate: try reader.boolean("AUTO_MIGRATE") ?? true,
            sessions: Sessions(
                refreshTokenLifetime: .seconds(
                    86_400 * (try reader.integer("REFRESH_TOKEN_EXPIRE_DAYS", in: 1...3650) ?? 30)),
                issuer: reader.string("JWT_ISSUER") ?? "task-api",
                audience: reader.string("JWT_AUDIENCE") ?? "task-api"
            ),
            throttling: Throttling(
                lockout: LoginLockout(
                    threshold: try reader.integer("LOGIN_LOCKOUT_THRESHOLD", in: 1...1000) ?? 5,
                    maximumWait: try reader.integer("LOGIN_LOCKOUT_MAX_SECONDS", in: 1...86_400) ?? 900),
                addressLoginFailures: try reader.rateLimit("ADDRESS_LOGIN_FAILURE_LIMIT")
                    ?? RateLimit(count: 50, window: 300),
                addressRegistrations: try reader.rateLimit("ADDRESS_REGISTRATION_LIMIT")
                    ?? RateLimit(count: 20, window: 3600),
                addressLimitsEnabled: try reader.boolean("RATE_LIMITS") ?? true,
                trustedProxies: try reader.trustedProxies("TRUSTED_PROXIES")
            ),
            observability: Observability(
                logFormat: try reader.logFormat("LOG_FORMAT") ?? .text,
                metricsEnabled: try reader.boolean("METRICS_ENABLED") ?? false,
                metricsToken: reader.string("METRICS_TOKEN")
            ),
            resilience: Resilience(
                databaseTimeout: .seconds(try reader.integer("DATABASE_TIMEOUT", in: 1...300) ?? 2),
                databaseIdleTimeout: .seconds(try reader.integer("DATABASE_IDLE_TIMEOUT", in: 1...86_400) ?? 300),
                idleTimeout: .seconds(try reader.integer("IDLE_TIMEOUT", in: 1...3600) ?? 60),
                headerTimeout: .seconds(try reader.integer("HEADER_TIMEOUT", in: 1...600) ?? 10),
                maximumConnections: try reader.integer("MAX_CONNECTIONS", in: 1...1_000_000) ?? 10_000,
                shutdownGrace: .seconds(try reader.integer("SHUTDOWN_GRACE", in: 0...600) ?? 10)
            )
        )
    }
}
