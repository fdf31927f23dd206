// swift-tools-version:6.0
import Foundation
import PackageDescription

// A new user's app that takes swift-dnn by version, as any package would: `scripts/check-dependency`
// builds and runs it against a tagged clone of the commit under test (SWIFT_DNN_URL names it).
let dnn = ProcessInfo.processInfo.environment["SWIFT_DNN_URL"] ?? "https://github.com/swift-dnn/swift-dnn"

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v13)],
    dependencies: [.package(url: dnn, from: "0.6.0")],
    targets: [
        // The step functions, a Network trained through the public API, a model saved, reloaded
        // and predicting, and a thrown DNNError.
        .executableTarget(name: "Consumer", dependencies: [.product(name: "DNN", package: "swift-dnn")]),
        // The README's "From Swift" example, copied from the README by scripts/check-dependency.
        .executableTarget(name: "ReadmeExample", dependencies: [.product(name: "DNN", package: "swift-dnn")]),
    ]
)
