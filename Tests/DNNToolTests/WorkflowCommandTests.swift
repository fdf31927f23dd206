import DNN
import Foundation
import Testing

/// The workflow of real data through the command: scikit-learn's breast-cancer data (30 unscaled
/// features) in ../shared/data/real.
@Suite(
    "Real data through the command: standardise, validate, stop early, predict unlabelled data",
    .enabled(
        if: FileManager.default.fileExists(atPath: SharedDataFiles.path("real/breast_cancer_train.csv")),
        "the breast-cancer data are not in ../shared/data/real; skipped"))
struct WorkflowCommandTests {
    static let train = SharedDataFiles.path("real/breast_cancer_train.csv")
    static let test = SharedDataFiles.path("real/breast_cancer_test.csv")

    /// The test file rewritten: without its label column, with two columns swapped, with an id
    /// column, with a pandas index column.
    static func variants(in directory: String) throws {
        let lines = try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let label = lines[0].firstIndex(of: "label")!
        func write(_ name: String, _ rows: [[String]]) {
            let text = rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
            FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(text.utf8))
        }
        write("unlabelled.csv", lines.map { row in row.enumerated().filter { $0.offset != label }.map(\.element) })
        write("swapped.csv", lines.map { [$0[1], $0[0]] + $0[2...] })
        write("ids.csv", lines.enumerated().map { [$0.offset == 0 ? "patient" : "p\($0.offset)"] + $0.element })
        write("index.csv", lines.enumerated().map { [$0.offset == 0 ? "" : "\($0.offset - 1)"] + $0.element })
    }

    @Test("unscaled features: a warning without --standardize, test accuracy ≥ 0.95 with it")
    func standardize() throws {
        let directory = temporaryDirectory()
        let plain = try CommandRunner.run(["train", "--train", Self.train, "--iterations", "20"], in: directory)
        #expect(plain.status == 0)
        #expect(plain.stderr.contains("dnn: warning: \(Self.train): features are unscaled"))
        let result = try CommandRunner.run(
            ["train", "--train", Self.train, "--test", Self.test, "--standardize", "--output", "bc.json"],
            in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"))
        let accuracy = Double(
            result.stdout.split(separator: "\n").first { $0.hasPrefix("Test accuracy: ") }!
                .dropFirst("Test accuracy: ".count))!
        #expect(accuracy >= 0.95)
        let model = try DeepNeuralNetwork(contentsOf: directory + "/bc.json")
        #expect(model.standardization != nil && model.featureNames?.first == "mean_radius")
    }

    @Test("validation fraction and early stopping: stops, keeps the best pass, prints the validation cost")
    func earlyStopping() throws {
        let result = try CommandRunner.run(
            [
                "train", "--train", Self.train, "--test", Self.test, "--preset", "course", "--standardize",
                "--validation-fraction", "0.2", "--early-stopping", "20", "--output", "m.json", "--log", "costs.csv",
            ], in: temporaryDirectory())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("validation cost "))
        #expect(result.stdout.contains("Training stopped: early stopping after iteration "))
        #expect(result.stdout.contains("Kept the parameters of iteration "))
        #expect(result.stdout.contains("Validation accuracy: "))
    }

    @Test("predict: no label column needed, identifiers carried, columns checked by name")
    func predictUnlabelled() throws {
        let directory = temporaryDirectory()
        try Self.variants(in: directory)
        let trained = try CommandRunner.run(
            ["train", "--train", Self.train, "--standardize", "--iterations", "200", "--output", "bc.json"],
            in: directory)
        #expect(trained.status == 0, "\(trained.stderr)")
        let unlabelled = try CommandRunner.run(
            ["predict", "--model", "bc.json", "--data", "unlabelled.csv"], in: directory)
        #expect(unlabelled.status == 0, "\(unlabelled.stderr)")
        let lines = unlabelled.stdout.split(separator: "\n")
        #expect(lines.count == 144 && lines[0] == "example,probability,label,class")
        let labelled = try CommandRunner.run(["predict", "--model", "bc.json", "--data", Self.test], in: directory)
        #expect(labelled.stdout == unlabelled.stdout, "labels are not used")

        // A model trained on a CSV file reads its columns by name, through its pipeline: their order
        // does not matter.
        let swapped = try CommandRunner.run(["predict", "--model", "bc.json", "--data", "swapped.csv"], in: directory)
        #expect(swapped.status == 0 && swapped.stdout == labelled.stdout, "\(swapped.stderr)")
        // A model without one (from a file of before pipelines, or the library) takes its features
        // in order: another order is refused, or matched by name when asked.
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/bc.json")))
                as? [String: Any])
        object["preprocessing"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: directory + "/plain.json"))
        let refused = try CommandRunner.run(
            ["predict", "--model", "plain.json", "--data", "swapped.csv"], in: directory)
        #expect(refused.status == 1)
        #expect(
            refused.stderr
                == "dnn: swapped.csv: columns in another order than the model's (column 1 is 'mean_texture', the model's is 'mean_radius'); pass --match-columns by-name to reorder\n"
        )
        let byName = try CommandRunner.run(
            ["predict", "--model", "plain.json", "--data", "swapped.csv", "--match-columns", "by-name"], in: directory)
        #expect(byName.stdout == labelled.stdout)

        let ids = try CommandRunner.run(
            ["predict", "--model", "bc.json", "--data", "ids.csv", "--id-column", "patient"], in: directory)
        #expect(ids.stdout.hasPrefix("patient,probability,label,class\np1,"))
        let noSuchId = try CommandRunner.run(
            ["predict", "--model", "bc.json", "--data", "ids.csv", "--id-column", "name"], in: directory)
        #expect(noSuchId.status == 1 && noSuchId.stderr == "dnn: ids.csv: no column named 'name' for the identifiers\n")

        // pandas' index column is not one the model reads.
        let index = try CommandRunner.run(["predict", "--model", "bc.json", "--data", "index.csv"], in: directory)
        #expect(index.status == 0 && index.stdout == labelled.stdout, "\(index.stderr)")
        let ignored = try CommandRunner.run(
            ["predict", "--model", "bc.json", "--data", "index.csv", "--ignore-column", ""], in: directory)
        #expect(ignored.stdout == labelled.stdout)

        let evaluate = try CommandRunner.run(
            ["evaluate", "--model", "bc.json", "--data", Self.test, "--threshold", "0.3"], in: directory)
        #expect(evaluate.status == 0)
        for text in ["Accuracy: ", "Log loss: ", "ROC-AUC: ", "Threshold: 0.3", "macro average", "F1"] {
            #expect(evaluate.stdout.contains(text), "\(text)")
        }
    }

    @Test(
        "bad settings of the workflow are one-line usage errors",
        arguments: [
            (["--validation-fraction", "1.5"], "--validation-fraction 1.5: must be between 0 and 1"),
            (
                ["--early-stopping", "5"],
                "--early-stopping needs validation data: --validation FILE or --validation-fraction F"
            ),
            (
                ["--validation", "v.csv", "--validation-fraction", "0.2"],
                "give --validation or --validation-fraction, not both"
            ),
        ])
    func usage(arguments: [String], message: String) throws {
        let result = try CommandRunner.run(["train"] + arguments, in: temporaryDirectory())
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("threshold outside [0, 1] and a validation file with other columns are refused")
    func badInputs() throws {
        let directory = temporaryDirectory()
        FileManager.default.createFile(atPath: directory + "/v.csv", contents: Data("a,b,label\n1,2,0\n".utf8))
        let threshold = try CommandRunner.run(
            ["evaluate", "--model", "m.json", "--data", "v.csv", "--threshold", "2"], in: directory)
        #expect(threshold.status == 2 && threshold.stderr.contains("--threshold 2.0: must be in [0, 1]"))
        let columns = try CommandRunner.run(
            ["train", "--train", Self.train, "--validation", "v.csv", "--output", "m.json"], in: directory)
        #expect(columns.status == 1)
        #expect(columns.stderr == "dnn: v.csv: no column named 'mean_radius', one the model's features are made from\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/m.json"))
    }

    @Test("the course's layers_dims: --layer-dims takes it; --layers written that way is refused with a hint")
    func layerDims() throws {
        let directory = temporaryDirectory()
        let dims = try CommandRunner.run(
            ["train", "--layer-dims", "2,4,1", "--iterations", "5", "--output", "m.json"], in: directory)
        #expect(dims.status == 0 && dims.stdout.contains("Training [2, 4, 1]"))
        let wrong = try CommandRunner.run(["train", "--layer-dims", "3,4,1", "--iterations", "5"], in: directory)
        #expect(wrong.stderr == "dnn: --layer-dims 3,4,1: the first size must be the data's 2 features\n")
        let hint = try CommandRunner.run(["train", "--layers", "2,4,1", "--iterations", "5"], in: directory)
        #expect(hint.status == 1)
        #expect(hint.stderr.contains("--layers takes the hidden sizes only: use --layer-dims 2,4,1"))
    }

    @Test("resume keeps the saved settings, continues the numbering, says what a flag overrides; --quiet")
    func resume() throws {
        let directory = temporaryDirectory()
        let first = try CommandRunner.run(
            [
                "train", "--layers", "5", "--mini-batch-size", "64", "--epochs", "20", "--optimizer", "adam",
                "--learning-rate", "0.01", "--output", "m.json",
            ], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CommandRunner.run(
            [
                "train", "--resume", "m.json", "--epochs", "10", "--print-every", "5", "--output", "m2.json", "--log",
                "c.csv",
            ],
            in: directory)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Cost after epoch 20: ") && second.stdout.contains("Cost after epoch 29: "))
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m2.json")
        #expect(model.training?.optimizer?.name == "adam" && model.training?.miniBatchSize == 64)
        #expect(model.training?.learningRate == 0.01 && model.training?.iterations == 30)
        let log = try String(contentsOfFile: directory + "/c.csv", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 31 && log[30].hasPrefix("29,"))
        let changed = try CommandRunner.run(
            ["train", "--resume", "m.json", "--epochs", "2", "--learning-rate", "0.02", "--quiet"], in: directory)
        #expect(changed.stdout.hasPrefix("Resuming with --learning-rate 0.02 instead of the saved 0.01.\n"))
        #expect(!changed.stdout.contains("Cost after"))
        #expect(changed.stdout.contains("Train accuracy: "))
    }

    @Test("--version and help without stray backslashes")
    func versionAndHelp() throws {
        let version = try CommandRunner.run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("swift-dnn "))
        for command in ["bench", "gradcheck", "train"] {
            let help = try CommandRunner.run(["help", command])
            #expect(!help.stdout.contains("\\"), "\(command)")
        }
    }
}

/// ../shared/data beside the package, for these tests.
enum SharedDataFiles {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/" + name).path
    }
}
