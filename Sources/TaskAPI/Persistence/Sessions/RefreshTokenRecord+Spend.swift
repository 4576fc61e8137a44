import Fluent
import Foundation
import SQLKit

extension RefreshTokenRecord {
    /// Marks a live token spent, in one statement: of several concurrent refreshes with the same token, exactly
    /// one gets true, and the others see a spent token. No read-then-write race.
    static func spend(digest: String, at now: Date, on database: any Database) async throws -> Bool {
        let spent = try await database.sql().raw(
            """
            UPDATE refresh_tokens SET spent_at = \(bind: now)
            WHERE token_hash = \(bind: digest) AND spent_at IS NULL RETURNING token_hash
            """
        ).all()
        return !spent.isEmpty
    }
}
