// The cost of each HTTP layer on its own, for Benchmarks/layer-costs.py. The service as `configure` builds it, on
// an in-memory SQLite database, but with only the first LAYERS of its Vapor middlewares, plus one bare Vapor
// route, POST /bare/tasks, that answers the same bytes as the generated POST /tasks without a token (401).
//
//   TaskAPILayerCosts --list            the service's Vapor middlewares, in order, one per line
//   TaskAPILayerCosts PORT LAYERS       serves on 127.0.0.1:PORT with the first LAYERS of them
import NIOCore
import NIOPosix
import TaskAPI
import Vapor

// As in the server (Sources/App/main.swift).
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

let arguments = Array(CommandLine.arguments.dropFirst())
let listing = arguments == ["--list"]
guard listing || (arguments.count == 2 && Int(arguments[0]) != nil && Int(arguments[1]) != nil) else {
    print("usage: TaskAPILayerCosts --list | TaskAPILayerCosts PORT LAYERS")
    exit(2)
}
let app = try await Application.make(
    Environment(
        name: "production",
        arguments: ["TaskAPILayerCosts", "serve", "--hostname", "127.0.0.1", "--port"]
            + [listing ? "0" : arguments[0]]))
do {
    try await configure(
        app,
        settings: Settings(
            database: .sqliteInMemory, jwtSecret: String(repeating: "layer-costs ", count: 3), logLevel: .error))
    let layers = app.middleware.resolve()
    if listing {
        for layer in layers {
            print(String(reflecting: type(of: layer)).replacingOccurrences(of: "TaskAPI.", with: ""))
        }
    } else {
        app.middleware = Middlewares()
        for layer in layers.prefix(Int(arguments[1])!) { app.middleware.use(layer) }
        app.post("bare", "tasks") { _ in
            Response(
                status: .unauthorized,
                headers: ["Content-Type": "application/json; charset=utf-8", "WWW-Authenticate": "Bearer"],
                body: .init(string: #"{"detail":"Not authenticated"}"#))
        }
        try await app.execute()
    }
} catch {
    app.logger.critical("\(error)")
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
