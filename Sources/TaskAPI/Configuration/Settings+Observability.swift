extension Settings {
    /// Logs and metrics.
    public struct Observability: Sendable, Equatable {
        /// Readable text (the default) or one JSON object per line.
        public var logFormat: ServiceLogHandler.Format
        /// Whether `GET /metrics` is served.
        public var metricsEnabled: Bool
        /// When set, `GET /metrics` requires `Authorization: Bearer <token>`.
        public var metricsToken: String?

        public init(
            logFormat: ServiceLogHandler.Format = .text, metricsEnabled: Bool = false, metricsToken: String? = nil
        ) {
            self.logFormat = logFormat
            self.metricsEnabled = metricsEnabled
            self.metricsToken = metricsToken
        }
    }
}
