// swift-tools-version:6.0
// The calibration stack (#8), rebuilt here so the benchmark can run it beside the service in one run:
// Hummingbird 2 with PostgresNIO's `PostgresClient`, named prepared statements, rows decoded into plain structs,
// no validation and no OpenAPI layer. A package of its own so that the service never depends on Hummingbird.
import PackageDescription

let package = Package(
    name: "LeanStack",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        .executableTarget(
            name: "LeanTaskServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
