import Fluent
import Foundation
import Testing
import VaporTesting

@testable import TaskAPI

/// `taskapi_database_pool_waiting` counts requests that wait for a database connection.
@Suite struct PoolWaitCounterTests {
    @Test(arguments: TestDatabase.all)
    func aRequestWaitingForABusyPoolIsCounted(_ database: TestDatabase) async throws {
        _ = TestMetrics.registry
        try await withTestApp(
            database,
            adjust: {
                $0.observability.metricsEnabled = true
                $0.databasePoolSize = 1
            }
        ) { app in
            let token = try await app.signUp()
            // Every event loop's only pooled connection is taken for a while.
            let holders = app.eventLoopGroup.makeIterator().map { eventLoop in
                Task {
                    try await app.databases.database(logger: app.logger, on: eventLoop)!.withConnection { _ in
                        try await Task.sleep(for: .milliseconds(1500))
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            let waiting = Task { try await app.send(.GET, "/tasks", token: token).status }
            try await Task.sleep(for: .milliseconds(300))
            let during = try await Self.waitingGauge(app)
            #expect(during >= 1, "the request waiting for a connection is counted")
            #expect(try await waiting.value == .ok)
            for holder in holders { try await holder.value }
        }
    }

    /// The pool opens its connections with the logger of the request that asked; PostgresNIO tags that copy with
    /// the connection's id. Left at trace level, every step of every query would be described for nothing.
    @Test func aLoggerCopyAConnectionClaimsKeepsTheServiceLevel() {
        var service = Logger(label: "test") { StreamLogHandler.standardError(label: $0) }
        service.logLevel = .error
        let counting = service.countingPoolWaits
        #expect(counting.logLevel == .trace, "the pool's trace lines reach the counter")
        var claimed = counting
        claimed[metadataKey: PoolWaitCounter.connectionKey] = "42"
        #expect(claimed.logLevel == .error)
        #expect(counting.logLevel == .trace, "the request's own logger still counts")
    }

    private static func waitingGauge(_ app: Application) async throws -> Double {
        let text = try await app.send(.GET, "/metrics").body.string
        let line = text.split(separator: "\n").first { $0.hasPrefix("taskapi_database_pool_waiting ") }
        return try #require(line.flatMap { Double($0.split(separator: " ").last ?? "") })
    }
}
