import Fluent
import SQLKit

/// Version 2 of `users` and `tasks` on SQLite: an id, once given, is never given again, as PostgreSQL's sequences
/// never give one twice. Version 1 declared the id `INTEGER PRIMARY KEY` (Fluent's SQLite dialect has no
/// `AUTOINCREMENT`), so SQLite gave the next row the highest id plus one: delete the newest task and the next task
/// created got its id, and a client still holding the old one saw it name a different task. From this revision on,
/// SQLite remembers the highest id it gave; ids deleted before it, above the highest row left, were recorded nowhere
/// and can still be given once. On PostgreSQL there is nothing to change.
///
/// SQLite cannot change a column's definition in place: each table is rebuilt the way SQLite's documentation
/// prescribes, with foreign keys off so that dropping `users` deletes no task, inside one transaction, and its own
/// `CREATE` statement and indexes are read back from `sqlite_master` rather than written out a second time.
struct NeverReuseIDs: AsyncMigration {
    private static let plainID = #""id" INTEGER PRIMARY KEY,"#
    private static let neverReusedID = #""id" INTEGER PRIMARY KEY AUTOINCREMENT,"#

    func prepare(on database: any Database) async throws {
        try await rebuild(on: database) { $0.replacing(Self.plainID, with: Self.neverReusedID) }
    }

    func revert(on database: any Database) async throws {
        try await rebuild(on: database) { $0.replacing(Self.neverReusedID, with: Self.plainID) }
    }

    private func rebuild(on database: any Database, _ change: @escaping @Sendable (String) -> String) async throws {
        guard database.isSQLite else { return }
        try await database.withConnection { connection in
            let sql = connection.sql()
            // Takes effect only outside a transaction, on this connection.
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            do {
                try await sql.raw("BEGIN").run()
                for table in [UserRecord.schema, TaskRecord.schema] {
                    try await Self.rebuildTable(table, on: sql, change)
                }
                let dangling = try await sql.raw("PRAGMA foreign_key_check").all()
                guard dangling.isEmpty else { throw TableRebuildFailed(reason: "\(dangling.count) rows lost a parent") }
                try await sql.raw("COMMIT").run()
            } catch {
                try? await sql.raw("ROLLBACK").run()
                try? await sql.raw("PRAGMA foreign_keys = ON").run()
                throw error
            }
            try await sql.raw("PRAGMA foreign_keys = ON").run()
        }
    }

    private static func rebuildTable(
        _ table: String, on sql: any SQLDatabase, _ change: (String) -> String
    ) async throws {
        let definitions = try await sql.raw(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = \(bind: table) AND sql IS NOT NULL"
        ).all().map { row in
            (type: try row.decode(column: "type", as: String.self), sql: try row.decode(column: "sql", as: String.self))
        }
        guard let create = definitions.first(where: { $0.type == "table" })?.sql else {
            throw TableRebuildFailed(reason: "no table \(table)")
        }
        let rebuilt = "\(table)_rebuilt"
        let renamed = create.replacing(#"CREATE TABLE "\#(table)""#, with: #"CREATE TABLE "\#(rebuilt)""#)
        let changed = change(renamed)
        guard changed != renamed else { throw TableRebuildFailed(reason: "unexpected definition: \(create)") }
        try await sql.raw("\(unsafeRaw: changed)").run()
        try await sql.raw("INSERT INTO \(ident: rebuilt) SELECT * FROM \(ident: table)").run()
        try await sql.raw("DROP TABLE \(ident: table)").run()
        try await sql.raw("ALTER TABLE \(ident: rebuilt) RENAME TO \(ident: table)").run()
        for index in definitions where index.type == "index" {
            try await sql.raw("\(unsafeRaw: index.sql)").run()
        }
    }
}

/// A table rebuild found what it did not expect, and changed nothing.
struct TableRebuildFailed: Error, CustomStringConvertible {
    let reason: String
    var description: String { "cannot rebuild the table: \(reason)" }
}
