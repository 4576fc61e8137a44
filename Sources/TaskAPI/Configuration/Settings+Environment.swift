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
    public static func load(
        from variables: [String: String],
        environment: Environment,
        logger: Logger
    ) throws -> Settings {
        let reader = VariableReader(variables: variables)
        return Settings(
            host: reader.string("HOST") ?? "127.0.0.1",
            port: try reader.integer("PORT", in: 1...65_535) ?? 8000,
            database: try reader.database(),
            jwtSecret: try reader.jwtSecret(environment: environment, logger: logger),
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
                idleTimeout: .seconds(try reader.integer("IDLE_TIMEOUT", in: 1...3600) ?? 60),
                shutdownGrace: .seconds(try reader.integer("SHUTDOWN_GRACE", in: 0...600) ?? 10)
            )
        )
    }
}

/// Parses one kind of value per method; each failure names its variable.
private struct VariableReader {
    let variables: [String: String]

    func string(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw SettingsError(
                variable: name,
                problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    func boolean(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw SettingsError(variable: name, problem: "must be true or false, got '\(text)'")
        }
    }

    func list(_ name: String) -> [String] {
        (variables[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }

    func url(_ name: String) throws -> String? {
        guard let text = string(name) else { return nil }
        guard URL(string: text) != nil else {
            throw SettingsError(variable: name, problem: "must be a URL, got '\(text)'")
        }
        return text
    }

    func logLevel(_ name: String) throws -> Logger.Level? {
        guard let text = string(name) else { return nil }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingsError(variable: name, problem: "must be one of \(levels), got '\(text)'")
        }
        return level
    }

    func logFormat(_ name: String) throws -> ServiceLogHandler.Format? {
        guard let text = string(name) else { return nil }
        guard let format = ServiceLogHandler.Format(rawValue: text.lowercased()) else {
            throw SettingsError(variable: name, problem: "must be text or json, got '\(text)'")
        }
        return format
    }

    func rateLimit(_ name: String) throws -> RateLimit? {
        guard let text = string(name) else { return nil }
        guard let limit = RateLimit(text) else {
            throw SettingsError(
                variable: name,
                problem: "must be COUNT/SECONDS with two positive whole numbers, like 50/300, got '\(text)'")
        }
        return limit
    }

    func trustedProxies(_ name: String) throws -> TrustedProxies {
        switch TrustedProxies.parse(list(name)) {
        case .success(let proxies): return proxies
        case .failure(let invalid):
            throw SettingsError(
                variable: name, problem: "must list IP addresses or CIDR ranges, got '\(invalid.entry)'")
        }
    }

    func database() throws -> Settings.Database {
        if let url = string("DATABASE_URL") {
            guard let parsed = URLComponents(string: url), ["postgres", "postgresql"].contains(parsed.scheme ?? ""),
                parsed.host?.isEmpty == false
            else {
                throw SettingsError(
                    variable: "DATABASE_URL", problem: "must be a postgres:// or postgresql:// URL with a host")
            }
            return .postgres(url: url)
        }
        return .sqliteFile(path: string("SQLITE_PATH") ?? "task-api.sqlite")
    }

    func jwtSecret(environment: Environment, logger: Logger) throws -> String {
        if let secret = string("JWT_SECRET") {
            guard secret.utf8.count >= Settings.minimumSecretBytes else {
                throw SettingsError(
                    variable: "JWT_SECRET",
                    problem:
                        "must be at least \(Settings.minimumSecretBytes) bytes long (generate one with: openssl rand -hex 32)"
                )
            }
            return secret
        }
        guard environment != .production else {
            throw SettingsError(
                variable: "JWT_SECRET", problem: "is required in production (generate one with: openssl rand -hex 32)")
        }
        logger.warning(
            "JWT_SECRET is not set: using a random secret for this process only; tokens will not survive a restart")
        return Data([UInt8].random(count: Settings.minimumSecretBytes)).base64EncodedString()
    }
}
