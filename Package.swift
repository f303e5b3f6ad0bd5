// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "retry",
    products: [
        .executable(name: "retry", targets: ["retry"]),
        // retry's helper: run in place of each command, which it becomes
        // (execv) after setting what Foundation cannot; and the guard that
        // ends the command's group if retry dies.
        .executable(name: "retry-exec", targets: ["retry-exec"]),
    ],
    targets: [
        // Every decision, and nothing else: it reads no clock, file,
        // environment or process of its own, so tests drive it in fake time.
        // Each file sees only the members of modules it imports itself, so
        // that the import check (CorePurityTests) is the whole truth.
        .target(name: "RetryCore", swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]),
        // The C calls Swift cannot make (variadic `prctl`, SIGRTMIN), the
        // start-up that runs before any other Swift code, and what the
        // helper shares with retry.
        .target(name: "CRetry"),
        // Every system call, process, thread, pipe, file and clock (Linux).
        .target(name: "RetrySystem", dependencies: ["RetryCore", "CRetry"]),
        // The helper, the one executable in C (see Sources/retry-exec/main.c).
        .executableTarget(name: "retry-exec", dependencies: ["CRetry"]),
        // Wires the two.
        .executableTarget(name: "retry", dependencies: ["RetryCore", "RetrySystem", "CRetry"]),
        .testTarget(name: "RetryCoreTests", dependencies: ["RetryCore"]),
        .testTarget(name: "RetrySystemTests", dependencies: ["RetrySystem", "RetryCore"]),
        // End-to-end tests run the built binary; depending on the executable
        // target makes `swift test` build it first.
        .testTarget(name: "RetryTests", dependencies: ["retry", "retry-exec", "RetryCore"]),
    ]
)
