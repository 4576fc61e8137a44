import Fluent
import Foundation
import SQLKit

/// Events per client address in fixed windows, in `address_counters`, shared by every replica. One row per
/// address and kind of event; a window that has passed starts again at the next event.
enum AddressCounter {
    struct Window: Decodable, Sendable {
        let hits: Int
        let windowStart: Date

        enum CodingKeys: String, CodingKey {
            case hits
            case windowStart = "window_start"
        }
    }

    /// The current window's count, if a window is open.
    static func current(key: String, openedAfter cutoff: Date, on database: any Database) async throws -> Window? {
        try await database.sql().raw(
            """
            SELECT hits, window_start FROM address_counters
            WHERE counter_key = \(bind: key) AND window_start > \(bind: cutoff)
            """
        ).first(decoding: Window.self)
    }

    /// Counts one event in one atomic upsert, opening a new window when the last one opened before `cutoff`.
    static func record(key: String, at now: Date, windowOpenedBefore cutoff: Date, on database: any Database)
        async throws -> Window
    {
        let window = try await database.sql().raw(
            """
            INSERT INTO address_counters (counter_key, window_start, hits) VALUES (\(bind: key), \(bind: now), 1)
            ON CONFLICT (counter_key) DO UPDATE SET
            hits = CASE WHEN address_counters.window_start <= \(bind: cutoff) THEN 1
                ELSE address_counters.hits + 1 END,
            window_start = CASE WHEN address_counters.window_start <= \(bind: cutoff) THEN excluded.window_start
                ELSE address_counters.window_start END
            RETURNING hits, window_start
            """
        ).first(decoding: Window.self)
        return window ?? Window(hits: 1, windowStart: now)
    }

    /// Drops windows that closed before `cutoff`.
    static func purge(before cutoff: Date, on database: any Database) async throws {
        try await database.sql().raw("DELETE FROM address_counters WHERE window_start < \(bind: cutoff)").run()
    }
}
