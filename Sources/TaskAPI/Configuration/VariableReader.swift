import Foundation
import Vapor

/// Parses one kind of value per method; each failure names its variable.
struct VariableReader {
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

    /// The signing secret, and whether it was made up for this process alone (development without `JWT_SECRET`).
    func jwtSecret(environment: Environment) throws -> (secret: String, ephemeral: Bool) {
        if let secret = string("JWT_SECRET") {
            guard secret.utf8.count >= Settings.minimumSecretBytes else {
                throw SettingsError(
                    variable: "JWT_SECRET",
                    problem:
                        "must be at least \(Settings.minimumSecretBytes) bytes long (generate one with: openssl rand -hex 32)"
                )
            }
            return (secret, false)
        }
        guard environment != .production else {
            throw SettingsError(
                variable: "JWT_SECRET", problem: "is required in production (generate one with: openssl rand -hex 32)")
        }
        return (Data([UInt8].random(count: Settings.minimumSecretBytes)).base64EncodedString(), true)
    }
}
