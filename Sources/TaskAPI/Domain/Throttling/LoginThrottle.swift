import Fluent
import Foundation

/// The limits on guessing and on sign-ups: a doubling wait per username, and fixed-window limits per client
/// address. Counts live in the database, so every replica sees the same ones.
struct LoginThrottle: Sendable {
    let lockout: LoginLockout
    /// Failed logins and refreshes per address; nil when `RATE_LIMITS=off`.
    let addressFailures: RateLimit?
    /// Registrations per address; nil when `RATE_LIMITS=off`.
    let addressRegistrations: RateLimit?
    let database: @Sendable () throws -> any Database
    let clock: WallClock

    /// Refuses an attempt from an address past its failure limit, or for a username in its wait. The wait holds
    /// even for the right password; otherwise answering it would tell the guesser they found it.
    func checkAttempt(username: String?, address: String?) async throws(any Error) {
        let now = clock.now()
        let database = try database()
        if let limit = addressFailures, let address,
            let window = try await AddressCounter.current(
                key: Self.failureKey(address), openedAfter: now.addingTimeInterval(-Double(limit.window)),
                on: database),
            window.hits >= limit.count
        {
            throw ThrottleRefusal(
                .loginAttempts, retryAfter: window.windowStart.timeIntervalSince(now) + Double(limit.window))
        }
        if let username,
            let until = try await LoginFailureCounter.lockedUntil(key: Self.usernameKey(username), on: database),
            until > now
        {
            throw ThrottleRefusal(.loginAttempts, retryAfter: until.timeIntervalSince(now))
        }
    }

    /// Counts a failed login (username and address) or a failed refresh (address only).
    func recordFailure(username: String?, address: String?) async throws {
        let now = clock.now()
        let database = try database()
        if let limit = addressFailures, let address {
            _ = try await AddressCounter.record(
                key: Self.failureKey(address), at: now,
                windowOpenedBefore: now.addingTimeInterval(-Double(limit.window)), on: database)
        }
        if let username {
            let key = Self.usernameKey(username)
            let failures = try await LoginFailureCounter.recordFailure(
                key: key, at: now, forgetBefore: now.addingTimeInterval(-LoginLockout.failureMemory), on: database)
            if let wait = lockout.wait(afterFailures: failures) {
                try await LoginFailureCounter.lock(
                    key: key, until: now.addingTimeInterval(Double(wait)), failures: failures, on: database)
            }
        }
    }

    /// A successful login clears the username's count.
    func recordSuccess(username: String) async throws {
        try await LoginFailureCounter.reset(key: Self.usernameKey(username), on: database())
    }

    /// Counts a registration from the address, refusing it past the limit.
    func admitRegistration(address: String?) async throws {
        guard let limit = addressRegistrations, let address else { return }
        let now = clock.now()
        let window = try await AddressCounter.record(
            key: "registration " + address, at: now,
            windowOpenedBefore: now.addingTimeInterval(-Double(limit.window)), on: database())
        if window.hits > limit.count {
            throw ThrottleRefusal(
                .registrations, retryAfter: window.windowStart.timeIntervalSince(now) + Double(limit.window))
        }
    }

    /// Deletes counters that no longer limit anything.
    func purgeStale() async throws {
        let now = clock.now()
        let database = try database()
        try await LoginFailureCounter.purge(
            before: now.addingTimeInterval(-LoginLockout.failureMemory), now: now, on: database)
        let longestWindow = max(addressFailures?.window ?? 0, addressRegistrations?.window ?? 0)
        try await AddressCounter.purge(before: now.addingTimeInterval(-Double(longestWindow)), on: database)
    }

    private static func failureKey(_ address: String) -> String { "failure " + address }

    /// Case-insensitive, and a fixed-size key for any input, existing user or not.
    static func usernameKey(_ username: String) -> String {
        username.lowercased().sha256Hex
    }
}

extension LoginThrottle {
    /// The throttle the settings describe.
    init(_ settings: Settings.Throttling, database: @escaping @Sendable () throws -> any Database, clock: WallClock) {
        self.init(
            lockout: settings.lockout,
            addressFailures: settings.addressLimitsEnabled ? settings.addressLoginFailures : nil,
            addressRegistrations: settings.addressLimitsEnabled ? settings.addressRegistrations : nil,
            database: database, clock: clock)
    }
}
