import DNN
import Foundation
import Testing

/// Outputs never destroy: devices, directories, symbolic links, read-only files and the command's
/// own inputs are refused before any work, and a failed command leaves no file behind.
@Suite("Writes that cannot destroy")
struct SafeWriteTests {
    static func directory() throws -> String {
        let directory = temporaryDirectory()
        FileManager.default.createFile(
            atPath: directory + "/data.csv", contents: Data("x1,x2,label\n1,2,0\n3,4,1\n".utf8))
        let model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        try model.save(to: directory + "/m.json")
        return directory
    }

    static func contents(_ directory: String) throws -> [String: Data] {
        var result = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            result[name] = FileManager.default.contents(atPath: directory + "/" + name) ?? Data()
        }
        return result
    }

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
        let directory = try Self.directory()
        FileManager.default.createFile(atPath: directory + "/readonly.json", contents: Data("keep".utf8))
        chmod(directory + "/readonly.json", 0o444)
        FileManager.default.createFile(atPath: directory + "/target.json", contents: Data("keep".utf8))
        symlink("target.json", directory + "/link.json")
        try FileManager.default.createDirectory(atPath: directory + "/folder", withIntermediateDirectories: false)
        let before = try Self.contents(directory)
        let result = try CommandRunner.run(arguments, in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == message)
        #expect(try Self.contents(directory) == before, "nothing written or replaced")
    }

    @Test("all outputs of a run are written together, and no temporary file is left")
    func together() throws {
        let directory = try Self.directory()
        let result = try CommandRunner.run(
            [
                "train", "--train", "data.csv", "--iterations", "5", "--log", "l.csv", "--plot", "p.svg", "--report",
                "r.html", "--output", "out.json",
            ], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["data.csv", "m.json", "l.csv", "p.svg", "r.html", "out.json"])
    }
}
