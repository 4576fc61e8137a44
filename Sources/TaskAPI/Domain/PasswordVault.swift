import Vapor

/// Hashes and checks passwords with bcrypt on the thread pool, never on an event loop.
struct PasswordVault: Sendable {
    /// The configured hasher (`app.password.async`), resolved on each use.
    private let hasher: @Sendable () -> AsyncPasswordHasher
    /// A hash of a random password at the configured cost, made in the background at start-up.
    private let decoyHash: Task<String, any Error>

    init(hasher: @escaping @Sendable () -> AsyncPasswordHasher) {
        self.hasher = hasher
        self.decoyHash = Task { try await hasher().hash(Data([UInt8].random(count: 16)).base64EncodedString()).get() }
    }

    func hash(_ password: String) async throws -> String {
        try await hasher().hash(password).get()
    }

    /// Whether `password` matches `storedHash`. With no stored hash (unknown user), an over-long password, or one
    /// holding NUL (bcrypt would ignore everything after it) it still does the same bcrypt work, so timing does
    /// not reveal which usernames exist.
    func verify(_ password: String, against storedHash: String?) async throws -> Bool {
        guard let storedHash, password.utf8.count <= UserRules.passwordBytes.upperBound, !password.containsNUL else {
            _ = try await hasher().verify("decoy password", created: try await decoyHash.value).get()
            return false
        }
        return try await hasher().verify(password, created: storedHash).get()
    }
}
