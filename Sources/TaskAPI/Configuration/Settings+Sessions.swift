extension Settings {
    /// Session lifetimes and the claims that tie access tokens to this service.
    public struct Sessions: Sendable, Equatable {
        /// How long a refresh token lasts; each refresh issues a new one with a full lifetime.
        public var refreshTokenLifetime: Duration
        /// `iss` of every access token, required on every one presented.
        public var issuer: String
        /// `aud` of every access token, required on every one presented.
        public var audience: String

        public init(
            refreshTokenLifetime: Duration = .seconds(30 * 86_400), issuer: String = "task-api",
            audience: String = "task-api"
        ) {
            self.refreshTokenLifetime = refreshTokenLifetime
            self.issuer = issuer
            self.audience = audience
        }
    }
}
