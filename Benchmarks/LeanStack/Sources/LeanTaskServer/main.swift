import Foundation
import Hummingbird
import JWTKit
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

// The same start as the service's: async code runs on NIO's event loops (Sources/App/main.swift).
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

let environment = ProcessInfo.processInfo.environment
guard let databaseURL = environment["DATABASE_URL"].flatMap(URLComponents.init(string:)), let host = databaseURL.host,
    let secret = environment["JWT_SECRET"], let port = environment["PORT"].flatMap(Int.init)
else {
    print("LeanTaskServer needs DATABASE_URL (postgres://user@host:port/database), JWT_SECRET and PORT")
    exit(2)
}
var logger = Logger(label: "LeanTaskServer")
logger.logLevel = .error

var configuration = PostgresClient.Configuration(
    host: host, port: databaseURL.port ?? 5432, username: databaseURL.user ?? "postgres",
    password: databaseURL.password, database: String(databaseURL.path.dropFirst()), tls: .disable)
// The service's default pool on these cores (DATABASE_POOL_SIZE: 16 per core, at most 64).
configuration.options.maximumConnections =
    environment["DATABASE_POOL_SIZE"].flatMap(Int.init) ?? min(16 * System.coreCount, 64)
let client = PostgresClient(configuration: configuration, backgroundLogger: logger)

let keys = JWTKeyCollection()
await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)

let router = Router()
router.get("health") { _, _ in HTTPResponse.Status.ok }
TaskRoutes(client: client, keys: keys, logger: logger).add(to: router)

var app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
app.addServices(client)
try await app.runService()
