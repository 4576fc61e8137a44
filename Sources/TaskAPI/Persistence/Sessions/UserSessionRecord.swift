import Fluent
import Foundation
import SQLKit

/// A row of `sessions`: one login, kept alive by refreshing, until it is revoked or expires.
final class UserSessionRecord: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserRecord
    @Field(key: "created_at") var createdAt: Date
    /// The login or the last refresh.
    @Field(key: "last_used_at") var lastUsedAt: Date
    /// When the newest refresh token expires; the session ends with it.
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "client_address") var clientAddress: String?

    init() {}

    init(userID: Int, now: Date, expiresAt: Date, userAgent: String?, clientAddress: String?) {
        self.id = UUID()
        self.$user.id = userID
        self.createdAt = now
        self.lastUsedAt = now
        self.expiresAt = expiresAt
        self.userAgent = userAgent
        self.clientAddress = clientAddress
    }
}

extension UserSessionRecord {
    /// The sessions of one user that are neither revoked nor expired.
    static func live(of userID: Int, at now: Date, on database: any Database) -> QueryBuilder<UserSessionRecord> {
        query(on: database).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).filter(\.$expiresAt > now)
    }

    /// Ends live sessions, in one statement: the one with `id`, or every one of `userID` but `except`. Their access
    /// and refresh tokens stop working at the next request. Returns how many were ended.
    static func revoke(
        id: UUID? = nil, userID: Int? = nil, except: UUID? = nil, at now: Date, on database: any Database
    ) async throws -> Int {
        let update = database.sql().update(schema).set("revoked_at", to: SQLBind(now))
            .where("revoked_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, SQLBind(now))
        if let id { update.where("id", .equal, SQLBind(id)) }
        if let userID { update.where("user_id", .equal, SQLBind(userID)) }
        if let except { update.where("id", .notEqual, SQLBind(except)) }
        return try await update.returning("id").all().count
    }
}
