import Fluent

/// Version 1 of `login_failures` and `address_counters`: the login and registration limits, kept in the database
/// so every replica counts the same attempts.
struct CreateThrottleCounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_failures")
            .field("username_key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("locked_until", .datetime)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("address_counters")
            .field("counter_key", .string, .identifier(auto: false))
            .field("window_start", .datetime, .required)
            .field("hits", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("address_counters").delete()
        try await database.schema("login_failures").delete()
    }
}
