import Fluent
import Foundation

/// A row of `users`. Only the persistence layer sees the password hash; no wire type has a field for it.
final class UserRecord: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "username") var username: String
    @Field(key: "password_hash") var passwordHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(username: String, passwordHash: String) {
        self.username = username
        self.passwordHash = passwordHash
    }
}
