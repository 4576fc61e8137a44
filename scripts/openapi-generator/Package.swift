// swift-tools-version:6.2
// Builds only the swift-openapi-generator CLI, for scripts/generate-openapi.sh; the app never links it.
import PackageDescription

let package = Package(
    name: "openapi-generator-tool",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator.git", exact: "1.14.3")
    ],
    targets: []
)
