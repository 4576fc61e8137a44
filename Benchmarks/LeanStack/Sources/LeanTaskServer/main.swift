import Foundation
import Hummingbird
import JWTKit
import Logging
import NIOCore
import PostgresNIO

// Each choice below is the one that measured best for this stack (docs/benchmarks.md, "The issue's calibration
// stack, measured here"). Unlike the service, it does not install NIO's event loops as Swift's global executor:
// with them its reads took 204 µs of CPU each, against 164 without.

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
// PostgresClient's pool is shared by all event loops, so it needs fewer connections than the service's pools, one
// per loop: on 2 cores 16 served it best (32: reads at 19% of their ceiling, creates at 24%; 16: 21% and 30%).
configuration.options.maximumConnections = environment["LEAN_POOL_SIZE"].flatMap(Int.init) ?? 8 * System.coreCount
// No keep-alive pings and no idle closes within a run. On this version (PostgresNIO 1.33.2) each took an idle
// pool of 16 about 100 to 150 ms of CPU per second for 10 s (the pings every 30 s, the closes 60 s after the last
// request), which slowed the service's runs beside it (docs/benchmarks.md).
configuration.options.keepAliveBehavior = nil
configuration.options.connectionIdleTimeout = .seconds(3600)
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
