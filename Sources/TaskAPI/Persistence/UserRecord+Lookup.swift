import Fluent
import SQLKit

extension UserRecord {
    /// The user whose name matches ignoring case: the same comparison the unique index on `lower(username)` makes.
    static func find(usernameIgnoringCase username: String, on database: any Database) async throws -> UserRecord? {
        try await query(on: database)
            .filter(
                .sql(
                    SQLBinaryExpression(
                        SQLFunction("lower", args: SQLColumn("username")), .equal, SQLBind(username.lowercased())))
            )
            .first()
    }
}
