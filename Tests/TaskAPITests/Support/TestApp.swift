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
    try await withScratchSettings(database, adjust: adjust) { settings in
        try await withApp(
            configure: { app in
                if let logger { app.logger = logger }
                try await configure(app, settings: settings, clock: clock)
                if migrate { try await app.autoMigrate() }
            }, test)
    }
}

/// Runs `test` against two apps on one database, as two replicas behind a load balancer would be. Only
/// PostgreSQL can be shared this way; each in-memory SQLite database is private to its app.
func withTwoTestApps(
    _ database: TestDatabase,
    adjust: (inout Settings) -> Void = { _ in },
    clock: WallClock = .system,
    _ test: (Application, Application) async throws -> Void
) async throws {
    try await withScratchSettings(database, adjust: adjust) { settings in
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
    }
}

/// Test settings on a database no other test touches, dropped afterwards whatever happens.
private func withScratchSettings(
    _ database: TestDatabase, adjust: (inout Settings) -> Void, _ body: (Settings) async throws -> Void
) async throws {
    let scratch = try await database.makeScratch()
    var settings = testSettings(scratch.location)
    adjust(&settings)
    do {
        try await body(settings)
    } catch {
        try? await scratch.drop()
        throw error
    }
    try await scratch.drop()
}
