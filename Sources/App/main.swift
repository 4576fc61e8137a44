import Metrics
import NIOCore
import NIOPosix
import Prometheus
import TaskAPI
import Vapor

// Async code runs on the event loops that serve the connections and the database, instead of hopping to Swift's
// own thread pool and back for every await: measured in docs/benchmarks.md.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
var environment = try Environment.detect()
// Once per process, before anything logs or counts: bootstrapping either system twice traps.
let logFormat = LogFormatSwitch()
try LoggingSystem.bootstrap(from: &environment) { level in
    { label in ServiceLogHandler(label: label, level: level, format: logFormat.current) }
}
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusMetricsFactory.defaultRegistry))

let app = try await Application.make(environment)
do {
    // The settings (and a .env file) can be read only now; every line from here on comes out in their log format.
    let settings = try Settings.load(from: ProcessInfo.processInfo.environment, environment: environment)
    logFormat.current = settings.observability.logFormat
    app.logger = Logger(label: app.logger.label)
    try await configure(app, settings: settings)
    try await app.execute()
    await drainServer(of: app)
} catch {
    app.logger.critical("\(error)")
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
