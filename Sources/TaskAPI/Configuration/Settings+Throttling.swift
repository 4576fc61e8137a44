extension Settings {
    /// Login and registration limits.
    public struct Throttling: Sendable, Equatable {
        /// The doubling wait per username; always on.
        public var lockout: LoginLockout
        /// Failed logins and refreshes per client address.
        public var addressLoginFailures: RateLimit
        /// Registrations per client address.
        public var addressRegistrations: RateLimit
        /// `RATE_LIMITS=off` turns the two address limits off (load tests); never the username wait.
        public var addressLimitsEnabled: Bool
        /// Peers whose `X-Forwarded-For` names the client.
        public var trustedProxies: TrustedProxies

        public init(
            lockout: LoginLockout = LoginLockout(),
            addressLoginFailures: RateLimit = RateLimit(count: 50, window: 300),
            addressRegistrations: RateLimit = RateLimit(count: 20, window: 3600),
            addressLimitsEnabled: Bool = true,
            trustedProxies: TrustedProxies = .none
        ) {
            self.lockout = lockout
            self.addressLoginFailures = addressLoginFailures
            self.addressRegistrations = addressRegistrations
            self.addressLimitsEnabled = addressLimitsEnabled
            self.trustedProxies = trustedProxies
        }
    }
}
