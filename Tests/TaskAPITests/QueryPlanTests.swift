import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import TaskAPI

/// The task statements keep to an index on a skewed table: one owner with 10,000 tasks, another with 3.
///
/// PostgreSQL may switch a named prepared statement to one generic plan after five runs, a plan made without
/// knowing the owner: a statement by primary key must keep an index there too. The list statements are planned
/// for each run (`HotStatement.plansEachRun`): for the small owner they must read the `(owner_id, id)` index,
/// not walk the primary key in id order filtering by owner, which reads the heavy owner's rows too.
@Suite struct QueryPlanTests {
    @Test(.enabled(if: !SharedStateTests.postgres.isEmpty), arguments: SharedStateTests.postgres)
    func taskStatementsUseAnIndexOnASkewedTable(_ database: TestDatabase) async throws {
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
            let statements: [(sql: String, plansEachRun: Bool, arguments: String, index: String)] = [
                (ListTasks.sql, ListTasks.plansEachRun, "2, 100, 0", "tasks_owner_id_id_idx"),
                (
                    ListTasksByCompletion.sql, ListTasksByCompletion.plansEachRun, "2, true, 100, 0",
                    "tasks_owner_id_id_idx"
                ),
                (FindTask.sql, FindTask.plansEachRun, "5, 2", "Index"),
                (UpdateTask.sql, UpdateTask.plansEachRun, "'x', false, NULL, NULL, now(), 5, 2", "Index"),
                (DeleteTask.sql, DeleteTask.plansEachRun, "5, 2", "Index"),
            ]
            for statement in statements {
                let plan = try await Self.plan(
                    of: statement.sql, generic: !statement.plansEachRun, arguments: statement.arguments, on: app.db)
                #expect(plan.contains(statement.index), "\(statement.sql)\n\(plan)")
                #expect(!plan.contains("Seq Scan"), "\(statement.sql)\n\(plan)")
            }
        }
    }

    /// What the plans above assume: a point statement is a named prepared statement on the connection that ran it,
    /// and a list is not (it is planned for each run).
    @Test(.enabled(if: !SharedStateTests.postgres.isEmpty), arguments: SharedStateTests.postgres)
    func pointStatementsArePreparedAndListsAreNot(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp("alice")
            let prepared = try await app.db.withConnection { connection in
                _ = try await connection.run(FindTask(id: 1, ownerID: 1))
                _ = try await connection.run(ListTasks(ownerID: 1, limit: 10, offset: 0))
                return try await connection.sql().raw("SELECT statement FROM pg_prepared_statements").all()
                    .map { try $0.decode(column: "statement", as: String.self) }
            }
            #expect(prepared.contains(FindTask.sql))
            #expect(!prepared.contains(ListTasks.sql))
        }
    }

    /// `EXPLAIN` of the plan PostgreSQL uses for `statement`: the generic one, or one made for these arguments.
    private static func plan(of statement: String, generic: Bool, arguments: String, on database: any Database)
        async throws -> String
    {
        try await database.withConnection { connection in
            let sql = connection.sql()
            let mode = generic ? "force_generic_plan" : "force_custom_plan"
            try await sql.raw("SET plan_cache_mode = \(unsafeRaw: mode)").run()
            try await sql.raw("PREPARE checked AS \(unsafeRaw: statement)").run()
            // EXPLAIN without ANALYZE: the statement is planned, not run.
            let rows = try await sql.raw("EXPLAIN EXECUTE checked(\(unsafeRaw: arguments))").all()
            try await sql.raw("DEALLOCATE checked").run()
            return try rows.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }
}
