import Foundation
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
}
