// swift-tools-version:6.0
import Foundation
import PackageDescription

// The fuzz targets: one libFuzzer binary that feeds random bytes to each of swift-dnn's loaders.
// A package of its own, so that the project's `swift build` never links a binary without a main;
// `scripts/fuzz` builds it with `-sanitize=fuzzer,address` (libFuzzer's main and its coverage,
// AddressSanitizer's checks).
/// SwiftPM names a package depended on by path after its folder, whatever the clone is called.
let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "swift-dnn-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "DNNFuzz",
            dependencies: [.product(name: "DNN", package: project)]
        )
    ]
)
