import Fluent
import Foundation
import SQLKit
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

@Suite struct MigrationTests {
    /// Every table of the current schema.
    private static let schema: Set<String> = [
        "users", "tasks", "sessions", "refresh_tokens", "login_failures", "address_counters", "alembic_version",
        "_fluent_migrations",
    ]

    private func tables(_ app: Application) async throws -> Set<String> {
        let sql = app.db as! any SQLDatabase
        let query: SQLQueryString =
            sql.dialect.name == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        return Set(try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) })
    }

    @Test(arguments: TestDatabase.all)
    func migrateThenRevertThenMigrateAgain(_ database: TestDatabase) async throws {
        try await withTestApp(database, migrate: false) { app in
            #expect(try await tables(app).isDisjoint(with: Self.schema.subtracting(["_fluent_migrations"])))
            try await app.autoMigrate()
            #expect(try await tables(app) == Self.schema)
            try await app.autoMigrate()  // idempotent: nothing left to apply
            try await app.autoRevert()
            #expect(try await tables(app) == ["_fluent_migrations"])
            try await app.autoRevert()  // idempotent: nothing left to revert
            try await app.autoMigrate()
            #expect(try await tables(app) == Self.schema)
            _ = try await app.signUp()
        }
    }

    @Test(arguments: TestDatabase.all)
    func migrateCommandAppliesAndRevertsNonInteractively(_ database: TestDatabase) async throws {
        try await withTestApp(database, migrate: false) { app in
            try await runCommand(app, "migrate", "--yes")
            try await runCommand(app, "migrate", "--yes")
            #expect(try await tables(app) == Self.schema)
            try await runCommand(app, "migrate", "--revert", "--yes")
            #expect(try await tables(app) == ["_fluent_migrations"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func usernameIndexIsUniqueIgnoringCase(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await UserRecord(username: "Bob", passwordHash: "x").create(on: app.db)
            await #expect(throws: (any Error).self) {
                try await UserRecord(username: "bOB", passwordHash: "x").create(on: app.db)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAUserDeletesTheirTasks(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let alice = try await app.signUp("alice")
            let bob = try await app.signUp("bob")
            _ = try await app.createTask(token: alice)
            _ = try await app.createTask(token: bob)
            try await UserRecord.query(on: app.db).filter(\.$username == "alice").delete()
            #expect(try await TaskRecord.query(on: app.db).all().map(\.$owner.id) == [2])
        }
    }

    /// Registers `username` and returns the id the service gave them.
    private func userID(registering username: String, on app: Application) async throws -> Int {
        let response = try await app.register(username)
        try #require(response.status == .created)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])["id"]
            as! Int
    }

    @Test(arguments: TestDatabase.all)
    func idsOfDeletedUsersAndTasksAreNeverGivenAgain(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp("alice")
            _ = try await app.createTask(token: token)
            let newest = try await app.createTask(token: token)
            try await app.send(.DELETE, "/tasks/\(newest.id)", token: token)
            #expect(try await app.createTask(token: token).id == newest.id + 1)

            let bob = try await userID(registering: "bob", on: app)
            let bobsToken = try await app.login("bob")
            try await app.send(.DELETE, "/users/me", json: #"{"password":"test123"}"#, token: bobsToken)
            #expect(try await userID(registering: "carol", on: app) == bob + 1)
        }
    }

    /// A database made before `0005_ids_never_reused` keeps its rows, ids and cascades through the upgrade, and
    /// from then on stops giving a deleted id again; the downgrade gives back SQLite's plain ids.
    @Test func upgradeOfAnSQLiteDatabaseKeepsItsRowsAndStopsReusingIDs() async throws {
        try await withTestApp(.sqlite) { app in
            try await runCommand(app, "schema", "downgrade")
            #expect(try await AlembicVersion.current(on: app.db) == "0004_throttle_counters")
            let token = try await app.signUp("alice")
            let bobsToken = try await app.signUp("bob")
            let first = try await app.createTask(#"{"title":"first","description":"kept"}"#, token: token)
            let newest = try await app.createTask(token: token)
            _ = try await app.createTask(token: bobsToken)
            try await app.send(.DELETE, "/tasks/\(newest.id + 1)", token: bobsToken)
            try await app.send(.DELETE, "/tasks/\(newest.id)", token: token)
            // Before the upgrade, the newest id is given again.
            let reused = try await app.createTask(token: token)
            #expect(reused.id == newest.id)

            try await runCommand(app, "migrate", "--yes")
            #expect(try await AlembicVersion.current(on: app.db) == "0005_ids_never_reused")
            let tasks = try await app.send(.GET, "/tasks", token: token).decoded([TaskResource].self)
            #expect(tasks.map(\.id) == [first.id, reused.id])
            #expect(tasks.first?.description == "kept")
            try await app.send(.DELETE, "/tasks/\(reused.id)", token: token)
            #expect(try await app.createTask(token: token).id == reused.id + 1)
            #expect(try await app.send(.GET, "/users/me", token: bobsToken).status == .ok)

            // Foreign keys are on again: deleting a user still deletes their tasks and sessions.
            try await app.send(.DELETE, "/users/me", json: #"{"password":"test123"}"#, token: token)
            #expect(try await TaskRecord.query(on: app.db).count() == 0)
            let definitions = try await app.db.sql().raw(
                "SELECT sql FROM sqlite_master WHERE name IN ('users', 'tasks')"
            ).all().map { try $0.decode(column: "sql", as: String.self) }
            #expect(definitions.count == 2 && definitions.allSatisfy { $0.contains("AUTOINCREMENT") })
            let indexes = try await app.db.sql().raw(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('users', 'tasks')"
            ).all().map { try $0.decode(column: "name", as: String.self) }
            #expect(Set(indexes) == ["users_username_lower_key", "tasks_owner_id_id_idx"])

            try await runCommand(app, "schema", "downgrade")
            let downgraded = try await app.db.sql().raw("SELECT sql FROM sqlite_master WHERE name = 'tasks'").all()
            #expect(
                try downgraded.map { try $0.decode(column: "sql", as: String.self) }.allSatisfy {
                    !$0.contains("AUTOINCREMENT")
                })
            #expect(try await app.send(.GET, "/users/me", token: bobsToken).status == .ok)
        }
    }

    @Test func sqliteFileRunsInWriteAheadLogMode() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("taskapi-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        try await withApp(configure: { try await configure($0, settings: testSettings(.sqliteFile(path: path))) }) {
            app in
            let mode = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode").first()
            #expect(try mode?.decode(column: "journal_mode", as: String.self) == "wal")
        }
    }

    @Test(arguments: TestDatabase.all)
    func alembicVersionFollowsEveryUpgradeAndDowngrade(_ database: TestDatabase) async throws {
        try await withTestApp(database, migrate: false) { app in
            #expect(try await AlembicVersion.current(on: app.db) == nil)
            try await runCommand(app, "migrate", "--yes")
            #expect(try await AlembicVersion.current(on: app.db) == "0005_ids_never_reused")
            let rows = try await app.db.sql().raw("SELECT version_num FROM alembic_version").all()
            #expect(rows.count == 1)

            // One revision at a time, unlike `migrate --revert`, which reverts the whole batch.
            try await runCommand(app, "schema", "downgrade")
            #expect(try await AlembicVersion.current(on: app.db) == "0004_throttle_counters")
            #expect(try await tables(app) == Self.schema)
            try await runCommand(app, "schema", "downgrade")
            #expect(try await AlembicVersion.current(on: app.db) == "0003_sessions")
            #expect(try await tables(app).isDisjoint(with: ["login_failures", "address_counters"]))
            try await runCommand(app, "schema", "downgrade", "--steps", "2")
            #expect(try await AlembicVersion.current(on: app.db) == "0001_users")
            #expect(try await tables(app) == ["users", "alembic_version", "_fluent_migrations"])

            try await runCommand(app, "migrate", "--yes")
            #expect(try await AlembicVersion.current(on: app.db) == "0005_ids_never_reused")
            #expect(try await tables(app) == Self.schema)
            try await runCommand(app, "schema", "downgrade", "--steps", "base")
            #expect(try await tables(app) == ["_fluent_migrations"])
            try await runCommand(app, "schema", "downgrade")  // nothing left: a no-op
            try await app.autoMigrate()
            #expect(try await AlembicVersion.current(on: app.db) == "0005_ids_never_reused")
            _ = try await app.signUp()
        }
    }

    @Test(arguments: TestDatabase.all)
    func schemaCommandRefusesWhatItDoesNotKnow(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            await #expect(throws: (any Error).self) { try await runCommand(app, "schema", "sideways") }
            await #expect(throws: (any Error).self) {
                try await runCommand(app, "schema", "downgrade", "--steps", "-1")
            }
            let current = try await AlembicVersion.current(on: app.db)
            #expect(current == "0005_ids_never_reused")
        }
    }

    private func runCommand(_ app: Application, _ arguments: String...) async throws {
        // The same path `TaskAPIServer migrate --yes` takes: the console handles --yes, then the command runs.
        var context = CommandContext(
            console: app.console, input: CommandInput(arguments: ["TaskAPIServer"] + arguments))
        context.application = app
        try await app.console.run(app.asyncCommands.group(), with: context)
    }
}
