import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import TaskAPI

/// PostgreSQL may switch a named prepared statement to one generic plan after five runs, a plan made without
/// knowing the owner. On a skewed table (one owner with 10,000 tasks, another with 3) every task statement's
/// generic plan must still reach the rows through an index, never by reading the whole table.
@Suite struct QueryPlanTests {
    static let postgres = TestDatabase.all.filter { if case .postgres = $0 { true } else { false } }

    @Test(arguments: postgres)
    func genericPlansOnASkewedTableUseAnIndex(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp("heavy")
            _ = try await app.signUp("light")
            let sql = app.db.sql()
            for (owner, count) in [(1, 10_000), (2, 3)] {
                try await sql.raw(
                    """
                    INSERT INTO tasks (owner_id, title, completed, created_at, updated_at)
                    SELECT \(bind: owner), 'Task ' || n, n % 2 = 0, now(), now() FROM generate_series(1, \(bind: count)) n
                    """
                ).run()
            }
            try await sql.raw("ANALYZE tasks").run()
            // A list must find the owner's rows through (owner_id, id): the plan that walks the primary key in id
            // order and filters by owner is the trap, and it too is an index scan.
            let statements: [(sql: String, arguments: String, index: String)] = [
                (ListTasks.sql, "2, 100, 0", "tasks_owner_id_id_idx"),
                (ListTasksByCompletion.sql, "2, true, 100, 0", "tasks_owner_id_id_idx"),
                (FindTask.sql, "5, 2", "Index"), (UpdateTask.sql, "'x', false, NULL, NULL, now(), 5, 2", "Index"),
                (DeleteTask.sql, "5, 2", "Index"),
            ]
            for statement in statements {
                let plan = try await Self.genericPlan(of: statement.sql, arguments: statement.arguments, on: app.db)
                #expect(plan.contains(statement.index), "\(statement.sql)\n\(plan)")
                #expect(!plan.contains("Seq Scan"), "\(statement.sql)\n\(plan)")
            }
        }
    }

    /// `EXPLAIN` of the plan PostgreSQL would use once it stopped planning `statement` for each run.
    private static func genericPlan(of statement: String, arguments: String, on database: any Database)
        async throws -> String
    {
        try await database.withConnection { connection in
            let sql = connection.sql()
            try await sql.raw("SET plan_cache_mode = force_generic_plan").run()
            try await sql.raw("PREPARE checked AS \(unsafeRaw: statement)").run()
            // EXPLAIN without ANALYZE: the statement is planned, not run.
            let rows = try await sql.raw("EXPLAIN EXECUTE checked(\(unsafeRaw: arguments))").all()
            try await sql.raw("DEALLOCATE checked").run()
            return try rows.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }
}
