import Metrics
import Prometheus

/// swift-metrics bootstrapped once for the whole test process (a second bootstrap traps), on the registry
/// `/metrics` serves.
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusMetricsFactory.defaultRegistry
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
