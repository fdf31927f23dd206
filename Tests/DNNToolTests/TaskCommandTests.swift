import DNN
import Foundation
import Testing

/// Regression, multi-output and multi-label through `dnn`, as a user runs them: the task read from
/// the targets, training, the model file, evaluate's figures checked against a recomputation from
/// the predictions, predict's columns, and every bad target refused in one line.
@Suite("Any supervised task through the dnn command")
struct TaskCommandTests {
    /// 200 examples of three features; y1 = 150 + 40·x1 − 25·x2 (scale of the diabetes data's
    /// target), y2 = 3·x3² − 1, both with a little noise; labels a, b, c = [x_k + 0.5·x_{k+1} > 0].
    static func writeData(to directory: String) throws {
        var rng = NumPyRandom(seed: 11)
        let X = rng.randn(3, 200), noise = rng.randn(2, 200)
        var regression = "x1,x2,x3,y1,y2\n", labels = "x1,x2,x3,a,b,c\n"
        for j in 0..<200 {
            let features = (0..<3).map { "\(X[$0, j])" }.joined(separator: ",")
            let y1 = 150 + 40 * X[0, j] - 25 * X[1, j] + noise[0, j]
            let y2 = 3 * X[2, j] * X[2, j] - 1 + 0.1 * noise[1, j]
            regression += "\(features),\(y1),\(y2)\n"
            let on = (0..<3).map { X[$0, j] + 0.5 * X[($0 + 1) % 3, j] > 0 ? "1" : "0" }
            labels += "\(features),\(on.joined(separator: ","))\n"
        }
        try Data(regression.utf8).write(to: URL(fileURLWithPath: directory + "/regression.csv"))
        try Data(labels.utf8).write(to: URL(fileURLWithPath: directory + "/labels.csv"))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The predictions `dnn predict` wrote: header, then one row per example (the index first).
    static func predictions(_ path: String) throws -> (header: [String], rows: [[Double]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return (
            lines[0].split(separator: ",").map(String.init),
            lines.dropFirst().map { $0.split(separator: ",").dropFirst().map { Double($0)! } }
        )
    }

    @Test("regression of two targets: standardised targets, evaluate's R², RMSE and MAE, predict's columns")
    func regression() throws {
        let directory = temporaryDirectory()
        try Self.writeData(to: directory)
        let train = try CommandRunner.run(
            [
                "train", "--train", "regression.csv", "--target", "y1,y2", "--standardize", "--layers", "16:tanh",
                "--optimizer", "adam", "--learning-rate", "0.01", "--mini-batch-size", "32", "--epochs", "150",
                "--output", "r.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("Train R²: "), "\(train.stdout)")

        // The file: a regression of y1 and y2 whose targets were standardised by their training mean
        // and population deviation, computed here independently.
        let model = try DeepNeuralNetwork(contentsOf: directory + "/r.json")
        #expect(model.task == .regression(targets: ["y1", "y2"]))
        #expect(model.network.head == .squaredError && model.layerSizes == [3, 16, 2])
        let data = try Dataset.load(directory + "/regression.csv", columns: CSVColumns(targets: ["y1", "y2"]))
        let scaling = try #require(model.targetStandardization)
        for k in 0..<2 {
            let y = (0..<200).map { data.Y[k, $0] }
            let mean = y.reduce(0, +) / 200
            let deviation = (y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 200).squareRoot()
            #expect(abs(scaling.mean[k] - mean) <= 1e-12 * abs(mean))
            #expect(abs(scaling.scale[k] - deviation) <= 1e-12 * deviation)
        }
        // Predictions are the network's output on the standardised features, brought back to the
        // targets' scale: the step functions give the same.
        let (outputs, _) = try model.predict(data.X)
        let raw = lModelForward(
            model.standardization!.apply(data.X), model.parameters, activations: model.network.activations,
            head: model.network.head
        ).AL
        var restored = raw
        for k in 0..<2 {
            for j in 0..<200 { restored[k, j] = raw[k, j] * scaling.scale[k] + scaling.mean[k] }
        }
        #expect((outputs - restored).map(abs).scalars.max()! < 1e-9)

        // evaluate --json: the figures recomputed here from the same predictions.
        let evaluate = try CommandRunner.run(
            ["evaluate", "--model", "r.json", "--data", "regression.csv", "--json"], in: directory)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let figures = try Self.json(evaluate.stdout)
        let targets = try #require(figures["targets"] as? [[String: Any]])
        #expect(figures["task"] as? String == "regression" && figures["examples"] as? Int == 200)
        var r2s = [Double]()
        for k in 0..<2 {
            let y = (0..<200).map { data.Y[k, $0] }, p = (0..<200).map { outputs[k, $0] }
            let mean = y.reduce(0, +) / 200
            let residual = zip(y, p).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            let r2 = 1 - residual / y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            let rmse = (residual / 200).squareRoot()
            let mae = zip(y, p).map { abs($0 - $1) }.reduce(0, +) / 200
            #expect(targets[k]["name"] as? String == ["y1", "y2"][k])
            #expect(abs((targets[k]["r2"] as? Double ?? .nan) - r2) < 1e-12)
            #expect(abs((targets[k]["rmse"] as? Double ?? .nan) - rmse) < 1e-9 * max(rmse, 1))
            #expect(abs((targets[k]["mae"] as? Double ?? .nan) - mae) < 1e-9 * max(mae, 1))
            #expect(r2 > 0.95, "R² of \(["y1", "y2"][k]): \(r2)")
            r2s.append(r2)
        }
        #expect(abs((figures["r2"] as? Double ?? .nan) - (r2s[0] + r2s[1]) / 2) < 1e-12)
        let text = try CommandRunner.run(["evaluate", "--model", "r.json", "--data", "regression.csv"], in: directory)
        #expect(text.stdout.contains("R²: ") && text.stdout.contains("RMSE: ") && text.stdout.contains("MAE: "))

        // predict: one column per target, named by it, the model's values.
        let predict = try CommandRunner.run(
            ["predict", "--model", "r.json", "--data", "regression.csv", "--output", "p.csv"], in: directory)
        #expect(predict.status == 0, "\(predict.stderr)")
        let (header, rows) = try Self.predictions(directory + "/p.csv")
        #expect(header == ["example", "y1", "y2"])
        #expect(rows.count == 200 && rows.indices.allSatisfy { rows[$0] == [outputs[0, $0], outputs[1, $0]] })
    }

    @Test("multi-label: three 0/1 columns are labels; subset accuracy, Hamming loss, each label's decision")
    func multilabel() throws {
        let directory = temporaryDirectory()
        try Self.writeData(to: directory)
        let train = try CommandRunner.run(
            [
                "train", "--train", "labels.csv", "--target", "a,b,c", "--layers", "12", "--init", "he",
                "--learning-rate", "0.3", "--iterations", "1500", "--output", "l.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("Train subset accuracy: "), "\(train.stdout)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/l.json")
        #expect(model.task == .multilabel(labels: ["a", "b", "c"]) && model.network.head == .sigmoid)
        let data = try Dataset.load(directory + "/labels.csv", columns: CSVColumns(targets: ["a", "b", "c"]))
        let (probabilities, decisions) = try model.predict(data.X)

        let evaluate = try CommandRunner.run(
            ["evaluate", "--model", "l.json", "--data", "labels.csv", "--json"], in: directory)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        let figures = try Self.json(evaluate.stdout)
        let allRight = (0..<200).filter { j in (0..<3).allSatisfy { decisions[$0, j] == data.Y[$0, j] } }.count
        let wrong = zip(decisions.scalars, data.Y.scalars).filter { $0 != $1 }.count
        #expect(figures["subset_accuracy"] as? Double == Double(allRight) / 200)
        #expect(abs((figures["hamming_loss"] as? Double ?? .nan) - Double(wrong) / 600) < 1e-15)
        #expect(Double(allRight) / 200 > 0.8, "subset accuracy \(Double(allRight) / 200)")
        let labels = try #require(figures["labels"] as? [[String: Any]])
        for k in 0..<3 {
            let truePositives = (0..<200).filter { decisions[k, $0] == 1 && data.Y[k, $0] == 1 }.count
            let predicted = (0..<200).filter { decisions[k, $0] == 1 }.count
            #expect(labels[k]["precision"] as? Double == Double(truePositives) / Double(predicted))
        }

        let predict = try CommandRunner.run(
            ["predict", "--model", "l.json", "--data", "labels.csv", "--output", "p.csv"], in: directory)
        #expect(predict.status == 0, "\(predict.stderr)")
        let (header, rows) = try Self.predictions(directory + "/p.csv")
        #expect(header == ["example", "a", "b", "c", "probability a", "probability b", "probability c"])
        #expect(rows[7] == (0..<3).map { decisions[$0, 7] } + (0..<3).map { probabilities[$0, 7] })
    }

    @Test("what the targets are, read from them: class names, numbered classes, values, and too many whole numbers")
    func inference() throws {
        let directory = temporaryDirectory()
        // Labels 1…3 are three classes named by their numbers, not four with an empty class 0.
        var numbered = "x1,x2,label\n", named = "x1,x2,species\n", many = "x1,x2,score\n"
        for j in 0..<60 {
            let (x1, x2) = (Double(j % 7) - 3, Double(j % 5) - 2)
            numbered += "\(x1),\(x2),\(j % 3 + 1)\n"
            named += "\(x1),\(x2),\(["Gentoo", "Adelie", "Chinstrap"][j % 3])\n"
            many += "\(x1),\(x2),\(25 + 3 * j)\n"
        }
        for (name, text) in [("numbered.csv", numbered), ("named.csv", named), ("many.csv", many)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let common = ["--layers", "4", "--iterations", "5", "--learning-rate", "0.01"]
        #expect(
            try CommandRunner.run(["train", "--train", "numbered.csv", "--output", "n.json"] + common, in: directory)
                .status == 0)
        #expect(
            try DeepNeuralNetwork(contentsOf: directory + "/n.json").task == .classification(classes: ["1", "2", "3"]))
        let named3 = try CommandRunner.run(
            ["train", "--train", "named.csv", "--label-column", "species", "--output", "s.json"] + common, in: directory
        )
        #expect(named3.status == 0, "\(named3.stderr)")
        let species = try DeepNeuralNetwork(contentsOf: directory + "/s.json")
        #expect(species.task == .classification(classes: ["Adelie", "Chinstrap", "Gentoo"]))
        let predicted = try CommandRunner.run(["predict", "--model", "s.json", "--data", "named.csv"], in: directory)
        let firstRow = predicted.stdout.split(separator: "\n")[1].split(separator: ",").map(String.init)
        #expect(["Adelie", "Chinstrap", "Gentoo"].contains(firstRow[2]) && firstRow[1] != firstRow[2])

        // Sixty distinct whole numbers (the diabetes data's kind of target): neither reading is guessed.
        _ = try BadInputTests.expectRefused(
            ["train", "--train", "many.csv", "--label-column", "score", "--output", "m.json"] + common, in: directory,
            .exactly(
                "dnn: many.csv: column 'score' holds 60 distinct whole numbers (25…202): pass --task regression to "
                    + "predict them as values, or --task classification to take each as a class"))
        let regression = try CommandRunner.run(
            ["train", "--train", "many.csv", "--label-column", "score", "--task", "regression", "--output", "m.json"]
                + common, in: directory)
        #expect(regression.status == 0, "\(regression.stderr)")
        #expect(try DeepNeuralNetwork(contentsOf: directory + "/m.json").task == .regression(targets: ["score"]))
        let classes = try CommandRunner.run(
            [
                "train", "--train", "many.csv", "--label-column", "score", "--task", "classification", "--output",
                "c.json",
            ] + common, in: directory)
        #expect(classes.status == 0, "\(classes.stderr)")
        #expect(try DeepNeuralNetwork(contentsOf: directory + "/c.json").classNames.count == 60)
    }

    @Test(
        "bad targets: one line naming the file, the column and the value; nothing written",
        arguments: [
            (
                ["train", "--train", "t.csv", "--target", "y1,y9"],
                "dnn: t.csv: no column named 'y9' in the header (x1, y1, y2, flag)"
            ),
            (
                ["train", "--train", "w.csv", "--target", "word", "--task", "regression"],
                "dnn: w.csv:2: column 'word': 'low' is not a number (a regression target)"
            ),
            (
                ["train", "--train", "nan.csv", "--target", "y1"],
                "dnn: nan.csv:3: column 'y1': no target (a missing value); --drop-missing-target leaves such rows out"
            ),
            (
                ["train", "--train", "t.csv", "--target", "flag,y1", "--task", "multilabel"],
                "dnn: t.csv:2: column 'y1': label '0.5' is not 0 or 1 (multi-label)"
            ),
            (
                ["train", "--train", "t.csv", "--target", "y1,y2", "--task", "classification"],
                "dnn: t.csv: 2 target columns for a classification; one column holds the class, several are "
                    + "--task multilabel or regression"
            ),
            (
                ["train", "--train", "t.csv", "--target", "y1", "--boundary-plot", "b.svg"],
                "dnn: --boundary-plot needs two features; the training data has 3"
            ),
            (
                ["evaluate", "--model", "r.json", "--data", "other.csv"],
                "dnn: other.csv: no column named 'y2' in the header (x1, y1, y3)"
            ),
            (
                ["evaluate", "--model", "hinge.json", "--data", "t.csv"],
                "dnn: hinge.json: damaged model file: 'head': unknown loss 'hinge'; expected one of sigmoid, "
                    + "softmax, squared-error"
            ),
        ])
    func badTargets(arguments: [String], message: String) throws {
        let directory = temporaryDirectory()
        let files = [
            ("t.csv", "x1,y1,y2,flag\n1,0.5,2,1\n2,1.5,3,0\n3,2.5,1,1\n"),
            ("w.csv", "x1,word\n1,low\n2,high\n"),
            ("nan.csv", "x1,y1\n1,0.5\n2,nan\n"),
            ("other.csv", "x1,y1,y3\n1,0.5,2\n"),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        let model = try DeepNeuralNetwork(
            network: Network(inputs: 1, hidden: [Layer(units: 2, activation: .relu)], head: .squaredError, outputs: 2),
            task: .regression(targets: ["y1", "y2"]))
        try model.save(to: directory + "/r.json")
        var object = try #require(try JSONSerialization.jsonObject(with: try model.fileData()) as? [String: Any])
        object["head"] = "hinge"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: directory + "/hinge.json"))
        let output = arguments.first == "train" ? ["--output", "out.json"] : []
        _ = try BadInputTests.expectRefused(arguments + output, in: directory, .exactly(message))
    }

    @Test("--target with an empty name is a usage error")
    func emptyTargetName() throws {
        let directory = temporaryDirectory()
        _ = try BadInputTests.expectRefused(
            ["train", "--target", "a,,b"], in: directory, status: 2,
            .between(prefix: "dnn: ", suffix: "--target a,,b: a column name is empty"))
    }

    @Test("a regression model travels through .npz with its task and target scaling, and resumes exactly")
    func npzAndResume() throws {
        let directory = temporaryDirectory()
        try Self.writeData(to: directory)
        let common = [
            "--target", "y1,y2", "--layers", "6", "--optimizer", "adam", "--learning-rate", "0.01",
            "--mini-batch-size", "50",
        ]
        for (epochs, output, resume) in [
            ("20", "straight.json", nil), ("12", "half.json", nil), ("8", "resumed.json", "half.json"),
        ] {
            let result = try CommandRunner.run(
                ["train", "--train", "regression.csv", "--standardize", "--epochs", epochs, "--output", output]
                    + (resume.map { ["--resume", $0] } ?? []) + common, in: directory)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let straight = try DeepNeuralNetwork(contentsOf: directory + "/straight.json")
        let resumed = try DeepNeuralNetwork(contentsOf: directory + "/resumed.json")
        #expect(straight.parameters == resumed.parameters && resumed.training?.iterations == 20)

        let export = try CommandRunner.run(
            ["export", "--model", "straight.json", "--format", "npz", "--output", "p.npz"], in: directory)
        #expect(export.status == 0, "\(export.stderr)")
        let back = try CommandRunner.run(
            ["import", "--format", "npz", "--input", "p.npz", "--output", "back.json"], in: directory)
        #expect(back.status == 0, "\(back.stderr)")
        let imported = try DeepNeuralNetwork(contentsOf: directory + "/back.json")
        #expect(imported.task == straight.task && imported.targetStandardization == straight.targetStandardization)
        let data = try Dataset.load(directory + "/regression.csv", columns: CSVColumns(targets: ["y1", "y2"]))
        #expect(try imported.predict(data.X).probabilities == straight.predict(data.X).probabilities)
    }
}
