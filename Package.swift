// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "retry",
    products: [
        .executable(name: "retry", targets: ["retry"]),
    ],
    targets: [
        // Every behaviour lives here, behind injected clock, sleeper, random
        // generator and launcher, so the tests can drive it without real time.
        .target(name: "RetryCore"),
        // Wires the real clock, sleeper, generator and Foundation launcher.
        .executableTarget(name: "retry", dependencies: ["RetryCore"]),
        .testTarget(name: "RetryCoreTests", dependencies: ["RetryCore"]),
        // End-to-end tests run the built binary; depending on the executable
        // target makes `swift test` build it first.
        .testTarget(name: "RetryTests", dependencies: ["retry", "RetryCore"]),
    ]
)
