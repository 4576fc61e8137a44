// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "task-api",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "TaskAPIServer", targets: ["App"]),
        .library(name: "TaskAPI", targets: ["TaskAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/jwt.git", from: "5.2.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.2.0"),
    ],
    targets: [
        // The wire contract: openapi.yaml and the code generated from it (scripts/generate-openapi.sh).
        .target(
            name: "TaskAPIContract",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi.yaml", "openapi-generator-config.yaml"]
        ),
        .target(
            name: "TaskAPI",
            dependencies: [
                "TaskAPIContract",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "JWT", package: "jwt"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
            ]
        ),
        .executableTarget(name: "App", dependencies: ["TaskAPI"]),
        .testTarget(
            name: "TaskAPITests",
            dependencies: ["TaskAPI", "TaskAPIContract", .product(name: "VaporTesting", package: "vapor")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
