import DNN
import Foundation
import Testing

/// Outputs never destroy: devices, directories, symbolic links, read-only files and the command's
/// own inputs are refused before any work, and a failed command leaves no file behind.
@Suite("Writes that cannot destroy")
struct SafeWriteTests {
    @Test(
        "refused outputs: one line, exit 1, nothing written or replaced",
        arguments: [
            (
                ["train", "--iterations", "5", "--output", "/dev/null"],
                "dnn: /dev/null: is not a regular file (a device?); outputs go to files\n"
            ),
            (
                ["train", "--train", "data.csv", "--iterations", "5", "--output", "data.csv"],
                "dnn: data.csv: is also an input of this command (data.csv); it is not replaced\n"
            ),
            (
                ["predict", "--model", "m.json", "--data", "data.csv", "--output", "m.json"],
                "dnn: m.json: is also an input of this command (m.json); it is not replaced\n"
            ),
            (
                ["train", "--iterations", "5", "--output", "readonly.json"],
                "dnn: readonly.json: is read-only; it is not replaced\n"
            ),
            (
                ["train", "--iterations", "5", "--output", "link.json"],
                "dnn: link.json: is a symbolic link; write to the file it names instead\n"
            ),
            (
                [
                    "train", "--iterations", "5", "--log", "l.csv", "--plot", "p.svg", "--report", "r.html", "--output",
                    "folder",
                ],
                "dnn: folder: is a directory; outputs go to files\n"
            ),
            (
                ["train", "--iterations", "5", "--log", "same.csv", "--output", "same.csv"],
                "dnn: same.csv: named for two outputs of this command\n"
            ),
            (["train", "--iterations", "5", "--output", ""], "dnn: an output file name is empty\n"),
        ])
    func refused(arguments: [String], message: String) throws {
        let directory = try directoryWithDataAndModel()
        FileManager.default.createFile(atPath: directory + "/readonly.json", contents: Data("keep".utf8))
        chmod(directory + "/readonly.json", 0o444)
        FileManager.default.createFile(atPath: directory + "/target.json", contents: Data("keep".utf8))
        symlink("target.json", directory + "/link.json")
        try FileManager.default.createDirectory(atPath: directory + "/folder", withIntermediateDirectories: false)
        let before = try directoryContents(directory)
        let result = try CommandRunner.run(arguments, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == message)
        #expect(try directoryContents(directory) == before, "nothing written or replaced")
    }

    @Test("all outputs of a run are written together, and no temporary file is left")
    func together() throws {
        let directory = try directoryWithDataAndModel()
        let result = try CommandRunner.run(
            [
                "train", "--train", "data.csv", "--iterations", "5", "--log", "l.csv", "--plot", "p.svg", "--report",
                "r.html", "--output", "out.json",
            ], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["data.csv", "m.json", "l.csv", "p.svg", "r.html", "out.json"])
    }

    /// SIGKILL cannot be caught, so a killed write leaves `.NAME.PID.tmp`; the next write to NAME
    /// removes it once no process PID runs, and touches nothing else.
    @Test("a temporary file a killed run left is removed by the next write, and only that")
    func abandonedTemporaryFiles() throws {
        let directory = try directoryWithDataAndModel()
        // No process has a PID above Linux's largest (2²²); this test's own process is running.
        let abandoned = ".out.json.4194305.tmp", running = ".out.json.\(getpid()).tmp"
        let otherTarget = ".other.json.4194305.tmp", notOurs = ".out.json.notes.tmp"
        for name in [abandoned, running, otherTarget, notOurs] {
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("partial".utf8))
        }
        let result = try CommandRunner.run(["train", "--iterations", "5", "--output", "out.json"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["data.csv", "m.json", "out.json", running, otherTarget, notOurs])
    }

    /// The signal arrives while the command trains, before anything is written: the run stops
    /// with 128 + the signal's number and leaves the directory as it was. (The handler's removal
    /// of a temporary file mid-write is checked in the library's tests.)
    @Test("SIGINT and SIGTERM during a run: exit 130 and 143, nothing written", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        let directory = try directoryWithDataAndModel()
        let before = try directoryContents(directory)
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = [
            "train", "--iterations", "100000000", "--print-every", "1000", "--log", "l.csv", "--output", "out.json",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first cost printed means the handlers are installed and training has begun.
        _ = out.fileHandleForReading.availableData
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal)
        #expect(try directoryContents(directory) == before, "nothing written")
    }
}
