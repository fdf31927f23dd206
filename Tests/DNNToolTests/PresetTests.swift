import DNN
import Foundation
import Testing

/// The presets (course and tabular), which one a command takes by default, and the warnings
/// about a training that may not have learned.
@Suite(
    "Presets and training warnings",
    .enabled(
        if: FileManager.default.fileExists(atPath: SharedDataFiles.path("real/breast_cancer_train.csv")),
        "the breast-cancer data are not in ../shared/data/real; skipped"))
struct PresetTests {
    static let train = SharedDataFiles.path("real/breast_cancer_train.csv")
    static let test = SharedDataFiles.path("real/breast_cancer_test.csv")

    static func accuracy(_ stdout: String, _ name: String) -> Double? {
        stdout.split(separator: "\n").first { $0.hasPrefix("\(name) accuracy: ") }
            .flatMap { Double($0.dropFirst("\(name) accuracy: ".count)) }
    }

    @Test("CSV data with no flags: the tabular preset, said in a note, and a model that learned")
    func tabularByDefault() throws {
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            ["train", "--train", Self.train, "--test", Self.test, "--output", "m.json"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("dnn: note: preset tabular for table data"))
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(model.layerSizes == [30, 64, 32, 1])
        #expect(model.standardization != nil)
        #expect(model.initialization?.scheme == .he)
        let training = try #require(model.training)
        #expect(training.optimizer?.name == "adam" && training.learningRate == 0.001)
        // 426 examples, a stratified tenth (43) held out: 383 train on batches of 200.
        #expect(training.miniBatchSize == 200)
        #expect(result.stdout.contains("Training [30, 64, 32, 1] on 383 examples"))
        #expect(training.validationHistory?.isEmpty == false)
        #expect(result.stdout.contains("Training stopped: early stopping after epoch "))
        #expect(try #require(Self.accuracy(result.stdout, "Test")) >= 0.93)
    }

    @Test(
        "the course preset is the course's defaults: chosen by --preset, by --learning-rate or --iterations, for HDF5",
        arguments: [["--preset", "course"], ["--learning-rate", "0.0075"], ["--iterations", "2500"]])
    func course(_ flags: [String]) throws {
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            ["train", "--train", Self.train, "--test", Self.test, "--output", "m.json"] + flags, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("note: preset"))
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(model.layerSizes == [30, 20, 7, 5, 1])
        #expect(model.standardization == nil && model.training?.miniBatchSize == nil)
        #expect(model.training?.iterations == 2500 && model.training?.learningRate == 0.0075)
        #expect(model.training?.optimizer == nil || model.training?.optimizer?.name == "gd")
        // The course's defaults on features in the thousands: every example called benign.
        #expect(
            result.stderr.contains(
                "dnn: warning: the model predicts '1' for every training example; standardise the features"))
        let labels = try String(contentsOfFile: Self.train, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").last! }
        let benign = Double(labels.filter { $0 == "1" }.count)
        #expect(Self.accuracy(result.stdout, "Train") == benign / Double(labels.count))
        // Its cost is flat at the end: stuck, not still learning.
        #expect(!result.stderr.contains("has not converged"))
        // --json: the preset and the warnings in the object, nothing on standard error.
        let json = try CommandRunner.run(["train", "--train", Self.train, "--json"] + flags, in: directory)
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["preset"] as? String == "course")
        let warnings = try #require(object["warnings"] as? [String])
        #expect(warnings.count == 1 && warnings[0].hasPrefix("the model predicts '1' for every training example"))
    }

    @Test("a flag wins over its preset's value; --no-standardize turns the tabular preset's standardisation off")
    func flagsWin() throws {
        let directory = temporaryDirectory()
        let result = try CommandRunner.run(
            [
                "train", "--train", Self.train, "--preset", "tabular", "--layers", "8", "--no-standardize",
                "--mini-batch-size", "50", "--epochs", "3", "--validation-fraction", "0.5", "--output", "m.json",
                "--quiet",
            ], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(model.layerSizes == [30, 8, 1] && model.standardization == nil)
        #expect(model.training?.miniBatchSize == 50 && model.training?.iterations == 3)
        #expect(model.training?.optimizer?.name == "adam")
    }

    @Test("not converged: a cost still falling at the last pass is said; a stopped one is not")
    func notConverged() throws {
        let directory = temporaryDirectory()
        let short = try CommandRunner.run(
            ["train", "--train", Self.train, "--standardize", "--iterations", "100", "--quiet"], in: directory)
        #expect(short.status == 0, "\(short.stderr)")
        let line = try #require(short.stderr.split(separator: "\n").first { $0.contains("has not converged") })
        #expect(line.hasPrefix("dnn: warning: the cost still fell ") && line.contains("over the last 10 iterations"))
        #expect(line.count <= 200)
        let stopped = try CommandRunner.run(
            [
                "train", "--train", Self.train, "--standardize", "--learning-rate", "0.3", "--validation-fraction",
                "0.2",
                "--early-stopping", "5", "--quiet",
            ], in: directory)
        #expect(stopped.status == 0, "\(stopped.stderr)")
        // Early stopping ended it: its cost may still fall, but validation says no more is needed.
        #expect(stopped.stdout.contains("Training stopped: early stopping"))
        #expect(!stopped.stderr.contains("has not converged"), "\(stopped.stderr)")
    }

    @Test("a class with fewer than five examples: one warning naming it and its count")
    func smallClass() throws {
        let directory = temporaryDirectory()
        var text = "x1,x2,kind\n"
        for i in 0..<20 { text += "\(i),\(2 * i),big\n\(i),\(-i),other\n" }
        for i in 0..<3 { text += "\(i),\(100 + i),rare\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/small.csv"))
        let result = try CommandRunner.run(
            ["train", "--train", "small.csv", "--label-column", "kind", "--epochs", "2", "--quiet"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("fewer than 5 examples") }
        #expect(
            warnings == [
                "dnn: warning: small.csv: class 'rare' (3) has fewer than 5 examples: too few to learn or score reliably"
            ])
    }

    @Test("resuming a tabular model: the epochs to add must be given; with them it continues")
    func resumeTabular() throws {
        let directory = temporaryDirectory()
        let first = try CommandRunner.run(
            ["train", "--train", Self.train, "--epochs", "5", "--output", "m.json", "--quiet"], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try directoryContents(directory)
        let bare = try CommandRunner.run(
            ["train", "--train", Self.train, "--resume", "m.json", "--output", "m2.json"], in: directory)
        #expect(bare.status == 2)
        #expect(bare.stderr == "dnn: --resume: the model trains on mini-batches; give --epochs N, the epochs to add\n")
        #expect(try directoryContents(directory) == before)
        let more = try CommandRunner.run(
            ["train", "--train", Self.train, "--resume", "m.json", "--epochs", "3", "--output", "m2.json", "--quiet"],
            in: directory)
        #expect(more.status == 0, "\(more.stderr)")
        #expect(try DeepNeuralNetwork(contentsOf: directory + "/m2.json").training?.iterations == 8)
    }

    @Test(
        "presets misused: one line, status 2, nothing written",
        arguments: [
            (["--preset", "keras"], "--preset"),
            (
                ["--preset", "tabular", "--resume", "m.json"],
                "--preset tabular: --resume keeps the saved model's settings"
            ),
            (["--preset", "tabular", "--distributed"], "--preset tabular is not distributed yet"),
        ])
    func misuse(_ flags: [String], _ message: String) throws {
        let directory = try directoryWithDataAndModel()
        let before = try directoryContents(directory)
        let result = try CommandRunner.run(
            ["train", "--train", "data.csv", "--output", "out.json"] + flags, in: directory)
        #expect(result.status == 2)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(message), "\(result.stderr)")
        #expect(try directoryContents(directory) == before)
    }
}
