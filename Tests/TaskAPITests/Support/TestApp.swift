import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// A signing secret for tests only.
let testSecret = String(repeating: "test-secret-", count: 6)

/// Settings for a test app: the given database, cheap bcrypt, a fixed secret.
func testSettings(_ database: Settings.Database) -> Settings {
    Settings(database: database, jwtSecret: testSecret, bcryptCost: 4, logLevel: .error)
}

/// Runs `test` against a fully configured, migrated app on a database of its own, and always cleans up.
func withTestApp(
    _ database: TestDatabase,
    adjust: (inout Settings) -> Void = { _ in },
    clock: WallClock = .system,
    logger: Logger? = nil,
    migrate: Bool = true,
    _ test: (Application) async throws -> Void
) async throws {
    let scratch = try await database.makeScratch()
    var settings = testSettings(scratch.location)
    adjust(&settings)
    do {
        try await withApp(
            configure: { app in
                if let logger { app.logger = logger }
                try await configure(app, settings: settings, clock: clock)
                if migrate { try await app.autoMigrate() }
            }, test)
    } catch {
        try? await scratch.drop()
        throw error
    }
    try await scratch.drop()
}

/// Runs `test` against two apps on one database, as two replicas behind a load balancer would be. Only
/// PostgreSQL can be shared this way; each in-memory SQLite database is private to its app.
func withTwoTestApps(
    _ database: TestDatabase,
    adjust: (inout Settings) -> Void = { _ in },
    clock: WallClock = .system,
    _ test: (Application, Application) async throws -> Void
) async throws {
    let scratch = try await database.makeScratch()
    var settings = testSettings(scratch.location)
    adjust(&settings)
    do {
        try await withApp(
            configure: { app in
                try await configure(app, settings: settings, clock: clock)
                try await app.autoMigrate()
            }
        ) { first in
            try await withApp(configure: { try await configure($0, settings: settings, clock: clock) }) { second in
                try await test(first, second)
            }
        }
    } catch {
        try? await scratch.drop()
        throw error
    }
    try await scratch.drop()
}
