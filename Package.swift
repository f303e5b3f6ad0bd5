// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "retry",
    products: [
        .executable(name: "retry", targets: ["retry"]),
        // Run by retry in place of each command, which it becomes (execv)
        // after setting what Foundation cannot: PR_SET_PDEATHSIG, signals.
        .executable(name: "retry-exec", targets: ["retry-exec"]),
    ],
    targets: [
        // Every decision, and nothing else: it reads no clock, file,
        // environment or process of its own, so tests drive it in fake time.
        .target(name: "RetryCore"),
        // The C calls Swift cannot make (variadic `prctl`).
        .target(name: "CRetry"),
        // Every system call, process, thread, pipe, file and clock (Linux).
        .target(name: "RetrySystem", dependencies: ["RetryCore", "CRetry"]),
        // What must run before any Swift code: a stack-limit check, and the
        // stopping signals held until their handlers are in place.
        .target(name: "RetryStartup"),
        // A few lines of C between Foundation's spawn and the command's exec.
        .executableTarget(name: "retry-exec"),
        // Wires the two.
        .executableTarget(name: "retry", dependencies: ["RetryCore", "RetrySystem", "RetryStartup"]),
        .testTarget(name: "RetryCoreTests", dependencies: ["RetryCore"]),
        .testTarget(name: "RetrySystemTests", dependencies: ["RetrySystem", "RetryCore"]),
        // End-to-end tests run the built binary; depending on the executable
        // target makes `swift test` build it first.
        .testTarget(name: "RetryTests", dependencies: ["retry", "retry-exec", "RetryCore"]),
    ]
)
