import FluentPostgresDriver
import Foundation
import SQLKit
import TaskAPIContract
import Testing
import Vapor

@testable import TaskAPI

/// The databases every behaviour is tested against: in-memory SQLite always, and PostgreSQL whenever
/// `TEST_POSTGRES_URL` names a server (scripts/test.sh starts a throwaway one).
enum TestDatabase: Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres(adminURL: String)

    static let all: [TestDatabase] = {
        let url = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? [.sqlite] : [.sqlite, .postgres(adminURL: url)]
    }()

    var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// A database no other test touches, and how to drop it afterwards.
    func makeScratch() async throws -> (location: Settings.Database, drop: @Sendable () async throws -> Void) {
        switch self {
        case .sqlite:
            return (.sqliteInMemory, {})
        case .postgres(let adminURL):
            let name = "taskapi_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await Self.administer(adminURL) { try await $0.raw("CREATE DATABASE \(ident: name)").run() }
            var url = URLComponents(string: adminURL)!
            url.path = "/" + name
            return (
                .postgres(url: url.string!),
                {
                    try await Self.administer(adminURL) {
                        try await $0.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
                    }
                }
            )
        }
    }

    private static func administer(_ url: String, _ work: (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(try .postgres(url: url), as: .psql)
            try await work(app.db as! any SQLDatabase)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
