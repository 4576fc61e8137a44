import Fluent
import SQLKit

extension UserRecord {
    /// The user whose name matches ignoring case: the same comparison the unique index on `lower(username)` makes.
    /// A name holding NUL matches no one (registration refuses it) and PostgreSQL would refuse the query.
    static func find(usernameIgnoringCase username: String, on database: any Database) async throws -> UserRecord? {
        guard !username.containsNUL else { return nil }
        return try await query(on: database)
            .filter(
                .sql(
                    SQLBinaryExpression(
                        SQLFunction("lower", args: SQLColumn("username")), .equal, SQLBind(username.lowercased())))
            )
            .first()
    }
}
