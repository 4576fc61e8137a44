import Fluent
import Foundation
import SQLKit

/// Consecutive failed logins per username, in `login_failures`, shared by every replica. The key is a digest of
/// the lower-cased name, so unknown names are counted the same way (no enumeration) and any input fits.
enum LoginFailureCounter {
    /// Until when the name must wait, if it must.
    static func lockedUntil(key: String, on database: any Database) async throws -> Date? {
        try await database.sql().raw(
            "SELECT locked_until FROM login_failures WHERE username_key = \(bind: key)"
        ).first(decoding: LockRow.self)?.lockedUntil
    }

    /// Counts one more failure in one atomic upsert and returns the new count. Failures last seen before
    /// `forgetBefore` are forgotten first.
    static func recordFailure(key: String, at now: Date, forgetBefore: Date, on database: any Database)
        async throws -> Int
    {
        let row = try await database.sql().raw(
            """
            INSERT INTO login_failures (username_key, failures, updated_at) VALUES (\(bind: key), 1, \(bind: now))
            ON CONFLICT (username_key) DO UPDATE SET
            failures = CASE WHEN login_failures.updated_at < \(bind: forgetBefore) THEN 1
                ELSE login_failures.failures + 1 END,
            updated_at = excluded.updated_at
            RETURNING failures
            """
        ).first(decoding: CountRow.self)
        return row?.failures ?? 1
    }

    /// Starts the wait that `failures` earned; a concurrent later failure, which counted higher, wins.
    static func lock(key: String, until: Date, failures: Int, on database: any Database) async throws {
        try await database.sql().raw(
            """
            UPDATE login_failures SET locked_until = \(bind: until)
            WHERE username_key = \(bind: key) AND failures = \(bind: failures)
            """
        ).run()
    }

    /// A successful login starts the count again.
    static func reset(key: String, on database: any Database) async throws {
        try await database.sql().raw("DELETE FROM login_failures WHERE username_key = \(bind: key)").run()
    }

    /// Drops rows that neither lock nor count any more.
    static func purge(before cutoff: Date, now: Date, on database: any Database) async throws {
        try await database.sql().raw(
            """
            DELETE FROM login_failures WHERE updated_at < \(bind: cutoff)
            AND (locked_until IS NULL OR locked_until < \(bind: now))
            """
        ).run()
    }

    private struct LockRow: Decodable {
        let lockedUntil: Date?

        enum CodingKeys: String, CodingKey {
            case lockedUntil = "locked_until"
        }
    }

    private struct CountRow: Decodable {
        let failures: Int
    }
}
