import DNN
import Foundation

/// Runs the built `dnn` binary as a user runs it and captures what it prints.
struct CommandRunner {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `dnn` binary beside the test bundle in SwiftPM's build directory.
    static let binary: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("dnn")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("the dnn binary is not beside \(CommandLine.arguments[0]); run `swift build` first")
    }()

    static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
        try run(binary, arguments, in: directory)
    }

    /// Runs any program, with `environment` added to this process's, and captures what it prints.
    static func run(
        _ executable: URL, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a full pipe cannot stall the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// The course's data files beside the package, when there.
enum SharedData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// Every file in `directory` with its bytes, hidden ones included (a temporary file left behind
/// is a file written).
func directoryContents(_ directory: String) throws -> [String: Data] {
    var result = [String: Data]()
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
        result[name] = FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
    }
    return result
}

/// A fresh working directory with `data.csv` (two features, two classes) and `m.json`, a model
/// for it.
func directoryWithDataAndModel() throws -> String {
    let directory = temporaryDirectory()
    try Data("x1,x2,label\n1,2,0\n3,4,1\n".utf8).write(to: URL(fileURLWithPath: directory + "/data.csv"))
    try DeepNeuralNetwork(layerSizes: [2, 3, 1]).save(to: directory + "/m.json")
    return directory
}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "dnn-tool-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A file made for the tests (`Tests/DNNTests/Fixtures`).
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DNNTests/Fixtures/\(name)").path
}

extension CommandRunner {
    /// Runs `dnn` with `environment` added to this process's environment (`DNN_MEMORY_LIMIT`, say).
    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String]) throws
        -> Result
    {
        try run(binary, arguments, in: directory, environment: environment)
    }

    /// A run of `dnn` with the peak resident memory of that one process.
    struct Measured {
        let result: Result
        /// `ru_maxrss` of the `dnn` process, in bytes.
        let peakBytes: Int
    }

    /// Spawns the program in `argv[2]` with posix_spawn, reaps it with wait4, writes its
    /// `ru_maxrss` (kilobytes on Linux, bytes on macOS) to the file `argv[1]` and exits as it did.
    static let reaper = """
        import os, sys
        pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
        _, status, usage = os.wait4(pid, 0)
        with open(sys.argv[1], "w") as f:
            f.write(str(usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)))
        sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
        """

    /// Runs `dnn` and measures its peak resident memory exactly.
    ///
    /// A spawned child's `ru_maxrss` is not its own: at exec, Linux records the peak of the address
    /// space being left, and posix_spawn's child execs from its parent's (a vfork), so `dnn`
    /// spawned from this test process would report this process's peak (a `true` spawned by a
    /// process that once held 500 MB reports 500 MB). A small Python process therefore spawns
    /// `dnn` with posix_spawn and reaps it with wait4(pid, &status, 0, &usage): the figure is
    /// `dnn`'s own, or the reaper's size when that is larger (`reaperFloor` says how large).
    static func runMeasuringPeakMemory(_ arguments: [String], in directory: String) throws -> Measured {
        try measure(binary.path, arguments, in: directory)
    }

    /// The peak the reaper reports for a program that allocates nothing: any figure above it is
    /// the measured program's own.
    static func reaperFloor() throws -> Int {
        try measure("/bin/true", [], in: NSTemporaryDirectory()).peakBytes
    }

    private static func measure(_ program: String, _ arguments: [String], in directory: String) throws -> Measured {
        let figure = NSTemporaryDirectory() + "dnn-peak-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: figure) }
        let result = try run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", reaper, figure, program] + arguments, in: directory)
        let text = (try? String(contentsOfFile: figure, encoding: .utf8)) ?? ""
        guard let peak = Int(text) else {
            throw MeasurementError(description: "no peak measured (python3 missing?): \(result.stderr)")
        }
        return Measured(result: result, peakBytes: peak)
    }

    struct MeasurementError: Error, CustomStringConvertible {
        let description: String
    }
}
