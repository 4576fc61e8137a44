import Foundation
import Testing

@testable import TaskAPI

/// The benchmark's database ceilings (`Benchmarks/sql`) and the issue's calibration stack (`Benchmarks/LeanStack`)
/// must send the statements the service sends, or the shares in docs/benchmarks.md compare the service with other
/// work. Both are copies, in pgbench's language and in a package of their own, so a changed statement fails here.
@Suite struct BenchmarkStatementsTests {
    private static let benchmarks = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Benchmarks")

    /// SQL with each placeholder, the service's `$1` or pgbench's `:name`, written as `?`.
    private static func shape(_ sql: String) -> String {
        sql.replacing(#/\$\d+|:[a-z_]+/#, with: "?")
    }

    /// The statements of a pgbench script: its lines that are neither comments nor meta-commands, without the
    /// trailing `;` or `\gset`.
    private static func statements(ofScript name: String) throws -> Set<String> {
        let script = try String(contentsOf: benchmarks.appendingPathComponent("sql/\(name)"), encoding: .utf8)
        let lines = script.split(separator: "\n").map(String.init).filter {
            !$0.hasPrefix("--") && !$0.hasPrefix(#"\"#) && !$0.isEmpty
        }
        return Set(
            lines.map { line in
                let statement = line.components(separatedBy: #" \gset"#)[0]
                return shape(statement.hasSuffix(";") ? String(statement.dropLast()) : statement)
            })
    }

    @Test(arguments: [
        ("read-task.sql", [CallerLookup.sql, FindTask.sql]),
        ("list-tasks.sql", [CallerLookup.sql, ListTasks.sql]),
        ("create-task.sql", [CallerLookup.sql, BeginTransaction.sql, InsertTask.sql, CommitTransaction.sql]),
        // The PATCH of the mixed cycle passes its unchanged fields as SQL constants (docs/benchmarks.md).
        ("mixed-crud.sql", [CallerLookup.sql, BeginTransaction.sql, InsertTask.sql, DeleteTask.sql, FindTask.sql]),
    ])
    func eachCeilingRunsTheServicesOwnStatements(script: String, sql: [String]) throws {
        let statements = try Self.statements(ofScript: script)
        for sql in sql {
            #expect(statements.contains(Self.shape(sql)), "\(script) does not run \(sql)")
        }
    }

    @Test func theCalibrationStackSendsTheServicesOwnStatements() throws {
        let source = try String(
            contentsOf: Self.benchmarks.appendingPathComponent("LeanStack/Sources/LeanTaskServer/Statements.swift"),
            encoding: .utf8)
        #expect(source.contains(#"let taskColumns = "\#(TaskRow.columns)""#))
        // Its SQL as the compiled strings read: columns filled in, multi-line strings joined at their `\`.
        let text = source.replacing(#"\(taskColumns)"#, with: TaskRow.columns)
            .replacing(#/\\\n\s*/#, with: "")
        for sql in [CallerLookup.sql, FindTask.sql, ListTasks.sql, InsertTask.sql, UpdateTask.sql, DeleteTask.sql] {
            let sent = text.contains(sql)  // not inside #expect, which would print the whole file
            #expect(sent, "Benchmarks/LeanStack does not send \(sql)")
        }
    }
}
