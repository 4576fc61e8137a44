import Fluent

extension APIHandlers {
    /// Whether `password` is the account's, under the username's wait and the address's failure limit: the one
    /// path by which logins, password changes and account deletions test a password, so a stolen access token
    /// cannot be used to guess the password faster than a login could.
    /// The stored hash is loaded only once the attempt may go ahead, so a refused one costs no lookup.
    func checkPassword(
        _ password: String, username: String, address: String?, storedHash: () async throws -> String?
    ) async throws -> Bool {
        try await throttle.checkAttempt(username: username, address: address)
        guard try await passwords.verify(password, against: try await storedHash()) else {
            try await throttle.recordFailure(username: username, address: address)
            return false
        }
        try await throttle.recordSuccess(username: username)
        return true
    }
}
