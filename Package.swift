// swift-tools-version:6.0
import Foundation
import PackageDescription

/// OpenBLAS is found through pkg-config on Linux (Debian: libopenblas-dev);
/// Apple platforms use Accelerate and never build the shim.
let blasShim: Target.Dependency = .target(name: "CBLAS", condition: .when(platforms: [.linux]))
/// stb (decode, resize and encode images) from Debian's libstb-dev; Linux only for now.
let imageShim: Target.Dependency = .target(name: "CSTB", condition: .when(platforms: [.linux]))
/// Open MPI (pkg-config ompi-c; Debian: libopenmpi-dev, Homebrew: open-mpi), for `train --distributed`.
/// Optional: where it is not installed the package builds without it (`#if canImport(CMPI)`), and
/// `--distributed` says so. `DNN_MPI=0` or `1` overrides the search. After installing Open MPI,
/// touch this file so that SwiftPM reads it again.
let hasMPI: Bool = {
    if let setting = ProcessInfo.processInfo.environment["DNN_MPI"] { return setting != "0" }
    let places = [
        "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/opt/homebrew/lib", "/usr/local/lib",
    ]
    return places.contains { FileManager.default.fileExists(atPath: $0 + "/pkgconfig/ompi-c.pc") }
}()
let mpiShim: [Target.Dependency] = hasMPI ? ["CMPI"] : []
let mpiTarget: [Target] =
    hasMPI
    ? [.systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"]), .brew(["open-mpi"])])]
    : []

let package = Package(
    name: "swift-dnn",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DNN", targets: ["DNN"]),
        .executable(name: "dnn", targets: ["DNNTool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `Real`: the elementary functions (exp, log, tanh) over Float and Double, so that one
        // generic kernel per activation serves both precisions.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
        // Atomic counters for the engine's threads: a hand-off spins briefly on them before it sleeps.
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
        // CSV reading and writing with RFC 4180 quoting.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // numpy's .npz is a zip archive.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // ONNX models are protocol buffers; the messages' Swift code is generated (scripts/generate-onnx-proto).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        // `swift package generate-documentation`: the DocC catalog in Sources/DNN/DNN.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // Counts mallocs in the allocation test; only that test target links it.
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CHDF5",
            pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"]), .brew(["hdf5"])]
        ),
        // zlib for gzip-compressed CSV (.csv.gz): Debian's zlib1g-dev, the system's on macOS. (Not named
        // CZlib: ZIPFoundation has a module of that name on Linux.)
        .systemLibrary(
            name: "CGzip",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // std::from_chars behind a C function: a double read correctly rounded, several times
        // faster than strtod (a CSV of numbers is mostly that call). C++ stays inside this target.
        .target(name: "CNumberParsing"),
        // exp over arrays, vectorised (AVX2 and AVX-512 chosen at run time) with the same bits on
        // every CPU, for the softmax and sigmoid kernels (glibc's exp is one value at a time).
        .target(name: "CVectorMath"),
        .systemLibrary(
            name: "CSTB",
            pkgConfig: "stb",
            providers: [.apt(["libstb-dev"])]
        ),
        .target(
            name: "DNN",
            dependencies: [
                blasShim, "CHDF5", imageShim, "CGzip", "CNumberParsing", "CVectorMath",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ] + mpiShim
        ),
        .executableTarget(
            name: "DNNTool",
            dependencies: [
                "DNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .testTarget(
            name: "DNNTests",
            // CSV.swift writes the files the reader is checked against (RFC 4180 quoting).
            dependencies: ["DNN", .product(name: "CSV", package: "CSV.swift")],
            exclude: ["Reference", "Fixtures"]
        ),
        // Tells the allocation tests which mallocs come from inside BLAS (C: it runs inside malloc).
        .target(
            name: "AllocationAttribution",
            path: "Tests/AllocationAttribution"
        ),
        .testTarget(
            name: "DNNAllocationTests",
            dependencies: [
                "DNN",
                "AllocationAttribution",
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
        .testTarget(
            name: "DNNToolTests",
            // Depending on the tool makes `swift test` build the `dnn` binary these tests run.
            dependencies: ["DNN", "DNNTool"]
        ),
    ] + mpiTarget,
    cxxLanguageStandard: .cxx17
)
