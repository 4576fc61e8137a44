import Fluent
import Testing
import VaporTesting

@testable import TaskAPI

/// `DATABASE_POOL_SIZE` is how many PostgreSQL connections a process opens, spread evenly over its event loops,
/// and `DATABASE_IDLE_TIMEOUT` how long one may sit unused.
@Suite struct DatabasePoolTests {
    @Test(.enabled(if: !SharedStateTests.postgres.isEmpty), arguments: SharedStateTests.postgres)
    func eachEventLoopHasItsShareOfThePoolAndNoMore(_ database: TestDatabase) async throws {
        let loops = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { count, _ in count + 1 }
        try await withTestApp(database, adjust: { $0.databasePoolSize = 2 * loops }) { app in
            let loop = app.eventLoopGroup.next()
            let pool = try #require(app.databases.database(logger: app.logger, on: loop))
            /// How long it took to get a connection, which is then held for `seconds`.
            @Sendable func acquire(holding seconds: Double) async throws -> Duration {
                let asked = ContinuousClock.now
                return try await pool.withConnection { _ in
                    let waited = ContinuousClock.now - asked
                    try await Task.sleep(for: .seconds(seconds))
                    return waited
                }
            }
            let first = Task { try await acquire(holding: 1.5) }
            try await Task.sleep(for: .milliseconds(100))
            let second = Task { try await acquire(holding: 1.5) }
            try await Task.sleep(for: .milliseconds(100))
            let third = try await acquire(holding: 0)
            #expect(try await second.value < .milliseconds(500), "the loop's second connection")
            #expect(third > .milliseconds(500), "a third request on the loop waits for one of the two")
            _ = try await first.value
        }
    }

    @Test(.enabled(if: !SharedStateTests.postgres.isEmpty), arguments: SharedStateTests.postgres)
    func idleConnectionsCloseAfterTheIdleTimeout(_ database: TestDatabase) async throws {
        let loops = MultiThreadedEventLoopGroup.singleton.makeIterator().reduce(0) { count, _ in count + 1 }
        try await withTestApp(
            database,
            adjust: {
                $0.databasePoolSize = 3 * loops
                $0.resilience.databaseIdleTimeout = .seconds(1)
            }
        ) { app in
            let pool = try #require(app.databases.database(logger: app.logger, on: app.eventLoopGroup.next()))
            /// The server processes serving this test's database, as PostgreSQL counts them.
            @Sendable func backends() async throws -> Int {
                try await pool.sql().raw(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
                ).first()!.decode(column: "n", as: Int.self)
            }
            try await withThrowingTaskGroup { group in
                for _ in 0..<3 {
                    group.addTask { try await pool.withConnection { _ in try await Task.sleep(for: .seconds(0.3)) } }
                }
                try await group.waitForAll()
            }
            #expect(try await backends() >= 3, "three requests at once opened three connections")
            try await Task.sleep(for: .seconds(3))
            #expect(try await backends() == 1, "only the connection opened for this count is left")
        }
    }
}
