import Metrics

/// The service's own metrics, beside the `http_*` ones Vapor reports. Each is looked up per event rather than
/// kept in a static, so one made before `MetricsSystem.bootstrap` can never stay a no-op.
enum ServiceMetrics {
    enum LoginOutcome: String {
        case success, failure, throttled
    }

    enum RefreshOutcome: String {
        case success, refused, reuse
    }

    enum RevocationReason: String {
        case logout, ended
        case endedAll = "ended_all"
        case passwordChange = "password_change"
        case reuse
    }

    static func login(_ outcome: LoginOutcome) {
        Counter(label: "taskapi_logins_total", dimensions: [("outcome", outcome.rawValue)]).increment()
    }

    static func refresh(_ outcome: RefreshOutcome) {
        Counter(label: "taskapi_token_refreshes_total", dimensions: [("outcome", outcome.rawValue)]).increment()
        if outcome == .reuse { Counter(label: "taskapi_refresh_reuse_detected_total").increment() }
    }

    static func sessionsRevoked(_ count: Int, _ reason: RevocationReason) {
        guard count > 0 else { return }
        Counter(label: "taskapi_sessions_revoked_total", dimensions: [("reason", reason.rawValue)])
            .increment(by: count)
    }

    /// A request answered 503 because the database could not serve it.
    static func databaseFailure() {
        Counter(label: "taskapi_database_failures_total").increment()
    }
}
