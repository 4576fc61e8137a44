import Fluent
import SQLKit

/// The settings that decide whether a write the API acknowledged survives a crash, checked once at start-up.
/// PostgreSQL must flush its write-ahead log before a commit returns (`fsync=on`, `synchronous_commit` not off);
/// SQLite in WAL mode with `synchronous=FULL` (2) or stronger syncs the log on every commit.
enum DurabilityCheck {
    /// Each setting that could lose acknowledged writes, with why.
    static func risks(on database: any Database) async throws -> [String] {
        let sql = database.sql()
        if database.isSQLite {
            let level = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
            return (level ?? 2) >= 2
                ? [] : ["SQLite runs with synchronous=\(level ?? 0): a power loss can undo commits"]
        }
        var risks: [String] = []
        for setting in ["fsync", "synchronous_commit"] {
            let value = try await sql.raw("SELECT current_setting(\(bind: setting)) AS value").first()?
                .decode(column: "value", as: String.self)
            if value == "off" {
                risks.append("PostgreSQL runs with \(setting)=off: a crash can lose writes the API acknowledged")
            }
        }
        return risks
    }
}
