import TaskAPIContract
import Testing
import Vapor

@testable import TaskAPI

@Suite struct SettingsTests {
    private func load(_ variables: [String: String], _ environment: Environment = .development) throws -> Settings {
        try Settings.load(from: variables, environment: environment)
    }

    @Test func defaultsNeedNothingInstalledAndMatchTheOriginal() throws {
        let settings = try load([:])
        #expect(settings.host == "127.0.0.1" && settings.port == 8000)
        #expect(settings.database == .sqliteFile(path: "task-api.sqlite"))
        #expect(settings.accessTokenLifetime == .seconds(1800))
        #expect(settings.bcryptCost == 12 && settings.autoMigrate && settings.corsOrigins.isEmpty)
        #expect(settings.docsAssets == .cdn && settings.logLevel == .info)
        #expect(settings.sessions == Settings.Sessions(refreshTokenLifetime: .seconds(30 * 86_400)))
        #expect(settings.sessions.issuer == "task-api" && settings.sessions.audience == "task-api")
        #expect(settings.throttling.lockout == LoginLockout(threshold: 5, maximumWait: 900))
        #expect(settings.throttling.addressLoginFailures == RateLimit(count: 50, window: 300))
        #expect(settings.throttling.addressRegistrations == RateLimit(count: 20, window: 3600))
        #expect(settings.throttling.addressLimitsEnabled && settings.throttling.trustedProxies == .none)
        #expect(settings.observability == Settings.Observability(logFormat: .text, metricsEnabled: false))
        #expect(
            settings.resilience
                == Settings.Resilience(
                    databaseTimeout: .seconds(2), databaseIdleTimeout: .seconds(300), idleTimeout: .seconds(60),
                    headerTimeout: .seconds(10), maximumConnections: 10_000, shutdownGrace: .seconds(10)))
    }

    @Test func databasePoolSizeDefaultsToSixteenConnectionsPerCoreUpTo64() throws {
        #expect(try load([:]).databasePoolSize == min(16 * System.coreCount, 64))
        #expect(try load(["DATABASE_POOL_SIZE": "3"]).databasePoolSize == 3)
    }

    @Test func everyObservabilityAndResilienceVariableIsRead() throws {
        let settings = try load([
            "LOG_FORMAT": "JSON", "METRICS_ENABLED": "true", "METRICS_TOKEN": "scrape-me", "DATABASE_TIMEOUT": "5",
            "DATABASE_IDLE_TIMEOUT": "45", "IDLE_TIMEOUT": "15", "HEADER_TIMEOUT": "3", "MAX_CONNECTIONS": "500",
            "SHUTDOWN_GRACE": "0",
        ])
        #expect(
            settings.observability
                == Settings.Observability(logFormat: .json, metricsEnabled: true, metricsToken: "scrape-me"))
        #expect(
            settings.resilience
                == Settings.Resilience(
                    databaseTimeout: .seconds(5), databaseIdleTimeout: .seconds(45), idleTimeout: .seconds(15),
                    headerTimeout: .seconds(3), maximumConnections: 500, shutdownGrace: .zero))
    }

    @Test func everySessionAndThrottlingVariableIsRead() throws {
        let settings = try load([
            "REFRESH_TOKEN_EXPIRE_DAYS": "7", "JWT_ISSUER": "https://auth.example", "JWT_AUDIENCE": "tasks",
            "LOGIN_LOCKOUT_THRESHOLD": "3", "LOGIN_LOCKOUT_MAX_SECONDS": "60", "ADDRESS_LOGIN_FAILURE_LIMIT": "10/60",
            "ADDRESS_REGISTRATION_LIMIT": "5/86400", "RATE_LIMITS": "off", "TRUSTED_PROXIES": "10.0.0.0/8, ::1",
        ])
        #expect(
            settings.sessions
                == Settings.Sessions(
                    refreshTokenLifetime: .seconds(7 * 86_400), issuer: "https://auth.example", audience: "tasks"))
        #expect(settings.throttling.lockout == LoginLockout(threshold: 3, maximumWait: 60))
        #expect(settings.throttling.addressLoginFailures == RateLimit(count: 10, window: 60))
        #expect(settings.throttling.addressRegistrations == RateLimit(count: 5, window: 86_400))
        #expect(!settings.throttling.addressLimitsEnabled)
        #expect(
            settings.throttling.trustedProxies.trusts("10.20.30.40") && settings.throttling.trustedProxies.trusts("::1")
        )
        #expect(!settings.throttling.trustedProxies.trusts("192.168.0.1"))
    }

    @Test func developmentWithoutSecretUsesARandomPerProcessSecret() throws {
        let first = try load([:])
        #expect(first.jwtSecret.utf8.count >= Settings.minimumSecretBytes && first.jwtSecretIsEphemeral)
        #expect(first.jwtSecret != (try load([:]).jwtSecret))
        #expect(!(try load(["JWT_SECRET": testSecret]).jwtSecretIsEphemeral))
    }

    @Test func productionWithoutSecretRefusesToStart() {
        #expect(
            throws: SettingsError(
                variable: "JWT_SECRET", problem: "is required in production (generate one with: openssl rand -hex 32)")
        ) {
            try load([:], .production)
        }
    }

    @Test(arguments: [Environment.production, .development])
    func shortSecretRefusesToStartEverywhere(_ environment: Environment) {
        #expect(throws: SettingsError.self) { try load(["JWT_SECRET": "too-short"], environment) }
        #expect((try? load(["JWT_SECRET": String(repeating: "s", count: 32)], environment))?.jwtSecret.count == 32)
    }

    @Test func everyVariableIsRead() throws {
        let settings = try load([
            "HOST": "0.0.0.0", "PORT": "9000", "DATABASE_URL": "postgresql://user:pw@db:5432/technical_test",
            "JWT_SECRET": String(repeating: "k", count: 40), "ACCESS_TOKEN_EXPIRE_MINUTES": "5", "BCRYPT_COST": "10",
            "CORS_ORIGINS": "https://a.example, https://b.example", "SWAGGER_UI_JS_URL": "/assets/swagger-ui-bundle.js",
            "SWAGGER_UI_CSS_URL": "/assets/swagger-ui.css", "REDOC_JS_URL": "/assets/redoc.js", "LOG_LEVEL": "DEBUG",
            "AUTO_MIGRATE": "false",
        ])
        #expect(settings.host == "0.0.0.0" && settings.port == 9000)
        #expect(settings.database == .postgres(url: "postgresql://user:pw@db:5432/technical_test"))
        #expect(settings.accessTokenLifetime == .seconds(300) && settings.bcryptCost == 10)
        #expect(settings.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(settings.docsAssets.swaggerUIScript == "/assets/swagger-ui-bundle.js")
        #expect(settings.docsAssets.redocScript == "/assets/redoc.js")
        #expect(settings.logLevel == .debug && !settings.autoMigrate)
    }

    @Test func emptyValuesCountAsUnset() throws {
        let settings = try load(["PORT": "", "DATABASE_URL": "", "SQLITE_PATH": "/data/tasks.sqlite"])
        #expect(settings.port == 8000 && settings.database == .sqliteFile(path: "/data/tasks.sqlite"))
    }

    @Test(arguments: [
        ("PORT", "eighty"), ("PORT", "70000"), ("DATABASE_URL", "mysql://localhost/db"),
        ("DATABASE_URL", "postgres://"),
        ("ACCESS_TOKEN_EXPIRE_MINUTES", "0"), ("BCRYPT_COST", "3"), ("LOG_LEVEL", "loud"), ("AUTO_MIGRATE", "maybe"),
        ("REFRESH_TOKEN_EXPIRE_DAYS", "0"), ("LOGIN_LOCKOUT_THRESHOLD", "0"), ("LOGIN_LOCKOUT_MAX_SECONDS", "-1"),
        ("ADDRESS_LOGIN_FAILURE_LIMIT", "50"), ("ADDRESS_LOGIN_FAILURE_LIMIT", "0/300"),
        ("ADDRESS_REGISTRATION_LIMIT", "20/an-hour"), ("RATE_LIMITS", "sometimes"), ("TRUSTED_PROXIES", "proxy.local"),
        ("TRUSTED_PROXIES", "10.0.0.0/40"), ("LOG_FORMAT", "xml"), ("METRICS_ENABLED", "sure"),
        ("DATABASE_TIMEOUT", "0"), ("DATABASE_POOL_SIZE", "0"), ("IDLE_TIMEOUT", "1h"), ("SHUTDOWN_GRACE", "-5"),
        ("HEADER_TIMEOUT", "0"), ("MAX_CONNECTIONS", "none"), ("DATABASE_IDLE_TIMEOUT", "0"),
    ])
    func badValueStopsStartUpNamingTheVariable(_ variable: String, _ value: String) {
        #expect {
            try load([variable: value])
        } throws: { error in
            (error as? SettingsError)?.variable == variable && "\(error)".contains(variable)
        }
    }
}
