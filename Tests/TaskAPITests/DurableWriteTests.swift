import Foundation
import PostgresNIO
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// What `Database.durably` guarantees around a write that fails: nothing of it stays, and the connection it ran
/// on serves the next request.
@Suite struct DurableWriteTests {
    private struct WriteAbandoned: Error {}

    @Test(arguments: TestDatabase.all)
    func aFailedWriteLeavesNothingAndItsConnectionServesTheNextOne(_ database: TestDatabase) async throws {
        let loops = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { count, _ in count + 1 }
        // One connection per event loop, and every write on the same loop: each runs on the connection before it.
        try await withTestApp(database, adjust: { $0.databasePoolSize = loops }) { app in
            let token = try await app.signUp("alice")
            let owner = Int(try await app.createTask(token: token).ownerID)
            let db = try #require(app.databases.database(logger: app.logger, on: app.eventLoopGroup.next()))
            @Sendable func insert(_ title: String, ownerID: Int = owner) -> InsertTask {
                InsertTask(ownerID: ownerID, title: title, description: nil, completed: false, now: Date())
            }

            // A statement that fails inside its transaction: no such owner.
            await #expect(throws: (any Error).self) {
                try await db.durably(within: .seconds(5), insert("x", ownerID: 0))
            }
            #expect(try await db.durably(within: .seconds(5), insert("after a failed statement")).count == 1)

            // A write that fails after its statement succeeded: the statement is undone.
            await #expect(throws: WriteAbandoned.self) {
                try await db.durably(within: .seconds(5)) { db in
                    _ = try await db.run(insert("abandoned"))
                    throw WriteAbandoned()
                }
            }
            #expect(try await db.durably(within: .seconds(5), insert("after an abandoned write")).count == 1)

            let titles = try await app.send(.GET, "/tasks", token: token).decoded([TaskResource].self).map(\.title)
            #expect(titles == ["Buy milk", "after a failed statement", "after an abandoned write"])
        }
    }

    /// A statement that fails with a data exception, which SQLite answers with NULL instead.
    private struct DivideByZero: HotStatement {
        typealias Row = Void
        static let name = "DivideByZero"
        static let sql = "SELECT 1 / 0"
    }

    @Test(.enabled(if: !SharedStateTests.postgres.isEmpty), arguments: SharedStateTests.postgres)
    func aWriteWhoseConnectionWasClosedForItsErrorFailsAtOnceWithThatError(_ database: TestDatabase) async throws {
        // An error other than a constraint violation closes the connection (`LeasedConnection.run`); the ROLLBACK
        // that follows must not be written to it, where PostgresNIO would never answer it.
        let loops = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { count, _ in count + 1 }
        try await withTestApp(database, adjust: { $0.databasePoolSize = loops }) { app in
            let token = try await app.signUp("alice")
            let db = try #require(app.databases.database(logger: app.logger, on: app.eventLoopGroup.next()))
            let started = ContinuousClock.now
            await #expect(throws: PSQLError.self) { try await db.durably(within: .seconds(10), DivideByZero()) }
            #expect(ContinuousClock.now - started < .seconds(5), "waited for the write deadline")
            // The pool replaces the closed connection.
            _ = try await app.createTask(token: token)
        }
    }
}
