import TaskAPI
import Vapor

var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
do {
    let settings = try Settings.load(
        from: ProcessInfo.processInfo.environment, environment: environment, logger: app.logger)
    try await configure(app, settings: settings)
    try await app.execute()
} catch {
    app.logger.critical("\(error)")
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
