import Vapor

/// Hashes and checks passwords with bcrypt on its own lower-priority threads (`BcryptThreads`), never on an event
/// loop.
struct PasswordVault: Sendable {
    /// The configured hasher (`app.password.sync`), resolved on each use.
    private let hasher: @Sendable () -> any PasswordHasher
    private let threads: BcryptThreads
    /// A hash of a random password at the configured cost, made in the background at start-up.
    private let decoyHash: Task<String, any Error>

    init(hasher: @escaping @Sendable () -> any PasswordHasher, threads: BcryptThreads) {
        self.hasher = hasher
        self.threads = threads
        self.decoyHash = Task {
            let password = Data([UInt8].random(count: 16)).base64EncodedString()
            return try await threads.run { try hasher().hash(password) }
        }
    }

    func hash(_ password: String) async throws -> String {
        try await threads.run { [hasher] in try hasher().hash(password) }
    }

    /// Whether `password` matches `storedHash`. With no stored hash (unknown user), an over-long password, or one
    /// holding NUL (bcrypt would ignore everything after it) it still does the same bcrypt work, so timing does
    /// not reveal which usernames exist.
    func verify(_ password: String, against storedHash: String?) async throws -> Bool {
        guard let storedHash, password.utf8.count <= UserRules.passwordBytes.upperBound, !password.containsNUL else {
            let decoy = try await decoyHash.value
            _ = try await threads.run { [hasher] in try hasher().verify("decoy password", created: decoy) }
            return false
        }
        return try await threads.run { [hasher] in try hasher().verify(password, created: storedHash) }
    }
}
