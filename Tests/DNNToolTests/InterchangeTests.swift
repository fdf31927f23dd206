import DNN
import Foundation
import Testing

/// Models that travel: ONNX run by ONNX Runtime, the parameters through numpy's .npz both ways.
/// The Python side is `scripts/check-interchange.py` (numpy, onnx, onnxruntime: `.ci/run` installs
/// them). Without them these tests are skipped here, and fail in CI, where they must run.
@Suite("Models that travel: ONNX in ONNX Runtime, numpy's .npz both ways")
struct InterchangeTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/check-interchange.py").path

    static let pythonReady: Bool = {
        let result = try? CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import numpy, onnx, onnxruntime"])
        return result?.status == 0
    }()

    /// Runs the checker and decodes the JSON it prints; records why when it cannot.
    static func python(_ arguments: [String], in directory: String) throws -> [String: Any] {
        let result = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script] + arguments, in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        guard let line = result.stdout.split(separator: "\n").last,
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { return [:] }
        return object
    }

    /// Skips, saying why, where Python's packages are missing; in CI that is a failure.
    static func requirePython() -> Bool {
        guard !pythonReady else { return true }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("numpy, onnx and onnxruntime are needed in CI (.ci/run installs them with pip)")
        } else {
            print("numpy, onnx or onnxruntime missing (pip install numpy onnx onnxruntime); interchange checks skipped")
        }
        return false
    }

    /// The four models of the issue: the course's cat model, a tanh model, ten digits through a
    /// softmax, a standardised breast-cancer model; each with data to predict.
    /// (ONNX Runtime has no float64 kernel for LeakyRelu: the leaky-relu model is checked in float32.)
    static func models() throws -> [(name: String, model: DeepNeuralNetwork, X: Matrix, float64: Bool)] {
        var result = [(String, DeepNeuralNetwork, Matrix, Bool)]()
        if FileManager.default.fileExists(atPath: SharedDataFiles.path("train_catvnoncat.h5")) {
            let train = try Dataset.load(SharedDataFiles.path("train_catvnoncat.h5"))
            let test = try Dataset.load(SharedDataFiles.path("test_catvnoncat.h5"))
            var cat = try DeepNeuralNetwork(layerSizes: [12288, 20, 7, 5, 1], classNames: train.classNames)
            try cat.train(train.X, train.Y, learningRate: 0.0075, iterations: 200)
            result.append(("cat", cat, test.X, true))
        }
        let flower = Dataset.flower()
        var tanh = try DeepNeuralNetwork(
            network: Network(inputs: 2, hidden: [Layer(units: 4, activation: .tanh)], head: .sigmoid, classes: 2),
            initialization: .twoLayer, seed: 2, classNames: flower.classNames)
        try tanh.train(flower.X, flower.Y, learningRate: 1.2, iterations: 300)
        result.append(("tanh", tanh, flower.X, true))
        var leaky = try DeepNeuralNetwork(
            network: Network(
                inputs: 2,
                hidden: [Layer(units: 5, activation: .leakyReLU(slope: 0.1)), Layer(units: 3, activation: .sigmoid)],
                head: .sigmoid, classes: 2),
            initialization: .he, classNames: flower.classNames)
        try leaky.train(flower.X, flower.Y, learningRate: 0.5, iterations: 300)
        result.append(("leaky-relu and sigmoid hidden", leaky, flower.X, false))
        // Batch normalisation on both hidden layers, trained on mini-batches so that the running
        // averages differ from the data's statistics: ONNX's BatchNormalization in inference form.
        var normalized = try DeepNeuralNetwork(
            network: Network(
                inputs: 2,
                hidden: [
                    Layer(units: 6, activation: .tanh, batchNorm: BatchNormalization()),
                    Layer(units: 4, activation: .relu, batchNorm: BatchNormalization(epsilon: 1e-3, momentum: 0.8)),
                ],
                head: .sigmoid, classes: 2),
            initialization: .he, classNames: flower.classNames)
        try normalized.train(
            FeatureMatrix(flower.X), flower.Y,
            options: TrainingOptions(learningRate: 0.05, iterations: 5, miniBatchSize: 64, optimizer: .courseAdam))
        result.append(("batch-normalised", normalized, flower.X, true))
        if FileManager.default.fileExists(atPath: SharedDataFiles.path("real/digits_train.csv")) {
            let digits = try Dataset.load(SharedDataFiles.path("real/digits_train.csv"))
            let test = try Dataset.load(SharedDataFiles.path("real/digits_test.csv"))
            var softmax = try DeepNeuralNetwork(layerSizes: [64, 32, 10], initialization: .lLayer, seed: 1)
            try softmax.train(digits.X, digits.Y, learningRate: 0.03, iterations: 100)
            result.append(("digits", softmax, test.X, true))
            let cancer = try Dataset.load(SharedDataFiles.path("real/breast_cancer_train.csv"))
            let cancerTest = try Dataset.load(SharedDataFiles.path("real/breast_cancer_test.csv"))
            var standardised = try DeepNeuralNetwork(layerSizes: [30, 20, 7, 5, 1])
            standardised.standardization = Standardization(fitting: cancer.X)
            standardised.featureNames = cancer.featureNames
            try standardised.train(cancer.X, cancer.Y, learningRate: 0.0075, iterations: 500)
            result.append(("breast cancer, standardised", standardised, cancerTest.X, true))
        }
        // A regression of two targets of different scales, features and targets standardised (the
        // output restored by Mul and Add), and three labels through sigmoid units.
        var rng = NumPyRandom(seed: 7)
        let X = rng.randn(3, 200)
        let targets = Matrix(
            rows: 2, cols: 200,
            scalars: (0..<200).map { 150 + 40 * X[0, $0] - 25 * X[1, $0] }
                + (0..<200).map { 3 * X[2, $0] * X[2, $0] - 1 })
        var regression = try DeepNeuralNetwork(
            network: Network(inputs: 3, hidden: [Layer(units: 8, activation: .tanh)], head: .squaredError, outputs: 2),
            initialization: .he, task: .regression(targets: ["progression", "y2"]))
        regression.standardization = Standardization(fitting: X)
        regression.targetStandardization = Standardization(fitting: targets)
        try regression.train(X, targets, learningRate: 0.05, iterations: 300)
        result.append(("regression of 2 targets, standardised", regression, X, true))
        let labels = Matrix(
            rows: 3, cols: 200,
            scalars: (0..<3).flatMap { k in (0..<200).map { X[k, $0] + 0.5 * X[(k + 1) % 3, $0] > 0 ? 1.0 : 0.0 } })
        var multilabel = try DeepNeuralNetwork(
            network: Network(inputs: 3, hidden: [Layer(units: 6, activation: .relu)], head: .sigmoid, outputs: 3),
            initialization: .he, task: .multilabel(labels: ["a", "b", "c"]))
        try multilabel.train(X, labels, learningRate: 0.3, iterations: 300)
        result.append(("multi-label of 3 labels", multilabel, X, true))
        return result
    }

    /// X (features × examples) as numpy wants it for ONNX: examples in rows.
    static func rows(_ X: Matrix) -> NumPyArray { NumPyArray(X.T) }

    @Test("ONNX: the checker passes and ONNX Runtime gives dnn's probabilities (1e-6 float32, 1e-12 float64)")
    func onnx() throws {
        guard Self.requirePython() else { return }
        for (name, model, X, float64) in try Self.models() {
            let directory = temporaryDirectory()
            try model.save(to: directory + "/model.json")
            try Self.rows(X).npyData.write(to: URL(fileURLWithPath: directory + "/X.npy"))
            let probabilities = try model.predict(X).probabilities
            try NumPyArray(probabilities.T).npyData.write(to: URL(fileURLWithPath: directory + "/expected.npy"))
            for (precision, tolerance) in [("float32", 1e-6), ("float64", 1e-12)]
            where float64 || precision == "float32" {
                let export = try CommandRunner.run(
                    [
                        "export", "--model", "model.json", "--format", "onnx", "--precision", precision, "--output",
                        "model.onnx",
                    ], in: directory)
                #expect(export.status == 0, "\(export.stderr)")
                let result = try Self.python(["onnx", "model.onnx", "X.npy", "expected.npy"], in: directory)
                // Probabilities are within 0…1; a regression's values are measured against their scale.
                let regression = model.task.kind == .regression
                let difference =
                    result[regression ? "max_relative_difference" : "max_difference"] as? Double ?? .infinity
                print("ONNX \(name), \(precision): largest difference from dnn predict \(difference)")
                #expect(difference <= tolerance, "\(name), \(precision): \(difference)")
                #expect(result["shape"] as? [Int] == [X.cols, probabilities.rows])
                #expect(result["opset"] as? Int == 13)
                #expect(result["output"] as? String == (regression ? "predictions" : "probabilities"))
                #expect((result["task"] as? [String: Any])?["kind"] as? String == model.task.kind.rawValue)
                #expect(result["names"] as? [String] == model.task.names)
            }
        }
    }

    /// A model of raw columns (numbers with gaps and their indicator, categories with a rare one
    /// pooled and a gap, booleans): ONNX Runtime fed the file's cells as they are gives
    /// `dnn predict`'s probabilities.
    @Test("ONNX of a tabular model: raw numbers and strings in, dnn's probabilities out (1e-6 float32, 1e-12 float64)")
    func onnxTable() throws {
        guard Self.requirePython() else { return }
        let directory = temporaryDirectory()
        var rng = NumPyRandom(seed: 9)
        var text = "size,colour,member,weight,label\n"
        for i in 0..<200 {
            let size = rng.uniform() < 0.1 ? "" : "\(rng.randn(1, 1)[0, 0] * 3 + 10)"
            let colour =
                i == 7 ? "violet" : rng.uniform() < 0.05 ? "NA" : ["red", "green", "blue"][Int(rng.uniform() * 3)]
            let member = rng.uniform() < 0.5 ? (rng.uniform() < 0.5 ? "yes" : "Yes") : "no"
            let weight = rng.randn(1, 1)[0, 0]
            text += "\(size),\(colour),\(member),\(weight),\(weight + (colour == "red" ? 1 : 0) > 0.5 ? "b" : "a")\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/t.csv"))
        let train = try CommandRunner.run(
            [
                "train", "--train", "t.csv", "--standardize", "--missing-indicator", "--min-category-count", "2",
                "--layers", "6", "--iterations", "200", "--learning-rate", "0.1", "--output", "m.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
        #expect(
            model.featureNames?.contains("colour=(other)") == true
                && model.featureNames?.contains("size_missing") == true)
        let data = try Dataset.load(
            directory + "/t.csv", columns: CSVColumns(labelsOptional: true), pipeline: model.preprocessing)
        let probabilities = try model.predict(data.X).probabilities
        try NumPyArray(probabilities.T).npyData.write(to: URL(fileURLWithPath: directory + "/expected.npy"))
        for (precision, tolerance) in [("float32", 1e-6), ("float64", 1e-12)] {
            let export = try CommandRunner.run(
                ["export", "--model", "m.json", "--format", "onnx", "--precision", precision, "--output", "m.onnx"],
                in: directory)
            #expect(export.status == 0, "\(export.stderr)")
            let result = try Self.python(["onnx-table", "m.onnx", "t.csv", "expected.npy"], in: directory)
            let difference = result["max_difference"] as? Double ?? .infinity
            print("ONNX tabular model, \(precision): largest difference from dnn predict on raw rows \(difference)")
            #expect(difference <= tolerance, "\(precision): \(difference)")
            #expect(result["inputs"] as? [String] == ["numbers", "colour", "member"])
        }
    }

    @Test("npz: np.load reads every array, equal to the model's parameters bit for bit")
    func npzExport() throws {
        guard Self.requirePython() else { return }
        let directory = temporaryDirectory()
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 6, 4, 1], initialization: .he)
        try model.train(flower.X, flower.Y, learningRate: 0.3, iterations: 100)
        try model.save(to: directory + "/model.json")
        let export = try CommandRunner.run(
            ["export", "--model", "model.json", "--format", "npz", "--output", "params.npz"], in: directory)
        #expect(export.status == 0, "\(export.stderr)")
        let result = try Self.python(["npz", "params.npz", "model.json"], in: directory)
        #expect(result["arrays"] as? [String] == ["W1", "W2", "W3", "b1", "b2", "b3", "task"])
        #expect((result["task"] as? [String: Any])?["kind"] as? String == "classification")
        #expect((result["equal"] as? [String: Bool])?.values.allSatisfy { $0 } == true, "\(result)")
    }

    @Test("npz: a notebook's parameters saved by np.savez become a model that predicts numpy's numbers")
    func npzImport() throws {
        guard Self.requirePython() else { return }
        let directory = temporaryDirectory()
        _ = try Self.python(["make-npz", "params.npz", "X.npy", "probabilities.npy"], in: directory)
        let result = try CommandRunner.run(
            ["import", "--format", "npz", "--input", "params.npz", "--output", "model.json"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/model.json")
        #expect(model.layerSizes == [4, 5, 3, 1])
        let X = try NumPyArray(npyData: Data(contentsOf: URL(fileURLWithPath: directory + "/X.npy")), name: "X")
        let expected = try NumPyArray(
            npyData: Data(contentsOf: URL(fileURLWithPath: directory + "/probabilities.npy")), name: "p")
        let probabilities = try model.predict(X.matrix!).probabilities
        let worst = zip(probabilities.scalars, expected.values).map { abs($0 - $1) / $1 }.max()!
        print("npz import: largest relative difference from numpy's predictions \(worst)")
        #expect(worst < 1e-12)
    }

    @Test("our .npy round trip: float64 bit for bit, flat biases, Fortran order")
    func npyRoundTrip() throws {
        let matrix = Matrix([[1.5, -2.25e-300, 3], [.pi, 0, -0.0]])
        let read = try NumPyArray(npyData: NumPyArray(matrix).npyData, name: "m")
        #expect(read.matrix == matrix && read.shape == [2, 3])
        #expect((NumPyArray(matrix).npyData.count - 48) % 64 == 0, "the header pads the data to 64 bytes")
        // A Fortran-ordered 2×2 float64 array [[1, 2], [3, 4]] stores 1, 3, 2, 4.
        var header = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }"
        header += String(repeating: " ", count: (64 - (10 + header.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + Array(header.utf8))
        for value in [1.0, 3, 2, 4] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        #expect(try NumPyArray(npyData: data, name: "f").matrix == Matrix([[1, 2], [3, 4]]))
    }

    @Test(
        "bad .npz files: one line, exit 1, nothing written",
        arguments: [
            ("missing-b", "params.npz: b1 is missing or not of shape (3, 1) for W1 of shape [3, 2]"),
            ("misshapen", "params.npz: W2 has shape [1, 4] but W1 gives 3 inputs"),
            ("pickle", "params.npz: W1.npy: an array of Python objects (it needs pickle, which is not read)"),
            ("complex", "params.npz: W1.npy: dtype <c16 is not supported (float64, float32, int64, int32, uint8)"),
            ("truncated", "params.npz: not an .npz file (not a zip archive, or truncated)"),
            ("empty", "params.npz: no W1 array (the course's parameters W1, b1, …)"),
        ])
    func badNpz(kind: String, message: String) throws {
        let directory = temporaryDirectory()
        let path = directory + "/params.npz"
        let W1 = NumPyArray(shape: [3, 2], values: Array(repeating: 0.5, count: 6))
        let b1 = NumPyArray(shape: [3, 1], values: [0, 0, 0])
        func header(_ descr: String) -> Data {
            var text = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (3, 2), }"
            text += String(repeating: " ", count: (64 - (10 + text.count + 1) % 64) % 64) + "\n"
            return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count), 0] + Array(text.utf8))
        }
        switch kind {
        case "missing-b": try NumPyArchive.data([("W1", W1)]).write(to: URL(fileURLWithPath: path))
        case "misshapen":
            try NumPyArchive.data([
                ("W1", W1), ("b1", b1), ("W2", NumPyArray(shape: [1, 4], values: [1, 1, 1, 1])),
                ("b2", NumPyArray(shape: [1, 1], values: [0])),
            ]).write(to: URL(fileURLWithPath: path))
        case "pickle", "complex":
            var bytes = header(kind == "pickle" ? "|O" : "<c16")
            bytes.append(Data(count: kind == "pickle" ? 48 : 96))
            try NumPyArchive.data(entries: [("W1", bytes), ("b1", b1.npyData)]).write(to: URL(fileURLWithPath: path))
        case "truncated":
            let archive = try NumPyArchive.data([("W1", W1), ("b1", b1)])
            try archive.prefix(archive.count / 2).write(to: URL(fileURLWithPath: path))
        default: try NumPyArchive.data([("other", b1)]).write(to: URL(fileURLWithPath: path))
        }
        let result = try CommandRunner.run(
            ["import", "--format", "npz", "--input", "params.npz", "--output", "model.json"], in: directory)
        #expect(result.status == 1)
        #expect(result.stderr == "dnn: " + message + "\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/model.json"))
    }
}
