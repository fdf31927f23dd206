import DNN
import Foundation
import Testing

@Suite("Model files: round trip, atomic writes, damaged and foreign files")
struct ModelFileTests {
    static func trainedModel() throws -> DeepNeuralNetwork {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(
            layerSizes: [2, 6, 3, 1], initialization: .he, seed: 7, classNames: flower.classNames)
        try model.train(flower.X, flower.Y, learningRate: 0.05, iterations: 30, reportEvery: 10)
        return model
    }

    @Test("save then load gives back every parameter bit for bit, and the settings")
    func roundTrip() throws {
        let model = try Self.trainedModel()
        let path = temporaryDirectory() + "/model.json"
        try model.save(to: path)
        let loaded = try DeepNeuralNetwork(contentsOf: path)
        #expect(loaded == model)
        for l in 1...model.layerCount {
            #expect(loaded.parameters.W(l).scalars.map(\.bitPattern) == model.parameters.W(l).scalars.map(\.bitPattern))
            #expect(loaded.parameters.b(l).scalars.map(\.bitPattern) == model.parameters.b(l).scalars.map(\.bitPattern))
        }
        #expect(loaded.training?.learningRate == 0.05)
        #expect(loaded.training?.costs.count == 4)
        #expect(loaded.classNames == ["red", "blue"])
        #expect(loaded.initialization?.seed == 7)
    }

    @Test(
        "training resumes exactly from a saved file: Adam's moments and step, the shuffle seeds",
        arguments: [
            Optimizer.courseAdam, .momentum(beta: 0.9),
        ])
    func resume(optimizer: Optimizer) throws {
        let flower = Dataset.flower()
        let options = TrainingOptions(learningRate: 0.01, iterations: 20, miniBatchSize: 64, optimizer: optimizer)
        var straight = try DeepNeuralNetwork(layerSizes: [2, 6, 1], initialization: .he)
        var halves = straight
        try straight.train(
            flower.X, flower.Y,
            options: TrainingOptions(
                learningRate: 0.01, iterations: 40, miniBatchSize: 64, optimizer: optimizer))
        try halves.train(flower.X, flower.Y, options: options)
        let path = temporaryDirectory() + "/model.json"
        try halves.save(to: path)
        var resumed = try DeepNeuralNetwork(contentsOf: path)
        #expect(resumed.optimizerState == halves.optimizerState)
        try resumed.train(flower.X, flower.Y, options: options)
        #expect(resumed.parameters == straight.parameters, "bit for bit")
        #expect(resumed.optimizerState?.shuffleSeed == 50)
        if optimizer.name == "adam" { #expect(resumed.optimizerState?.step == 40 * 7) }
    }

    @Test("a model whose reported cost was inf saves and loads")
    func infiniteCost() throws {
        let circles = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 10, 5, 1], initialization: .random)
        try model.train(
            circles.X, circles.Y, options: TrainingOptions(learningRate: 0.01, iterations: 3, reportEvery: 1))
        #expect(model.training!.costs.contains { $0.cost == .infinity })
        let path = temporaryDirectory() + "/model.json"
        try model.save(to: path)
        #expect(try DeepNeuralNetwork(contentsOf: path) == model)
    }

    @Test("a save leaves no temporary file, and a failed save leaves the old file intact")
    func atomic() throws {
        let model = try Self.trainedModel()
        let directory = temporaryDirectory()
        let path = directory + "/model.json"
        try model.save(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.json"])
        // The final rename cannot replace a non-empty directory: the save fails after writing.
        let blocked = directory + "/blocked.json"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        #expect(throws: DNNError.self) { try model.save(to: blocked) }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["blocked.json", "model.json"])
        #expect(try DeepNeuralNetwork(contentsOf: path) == model)
        #expect(throws: DNNError("/no/such/dir/model.json: cannot write, no such directory /no/such/dir")) {
            try model.save(to: "/no/such/dir/model.json")
        }
    }

    @Test("damaged, truncated, foreign and newer files are clear errors")
    func badFiles() throws {
        let model = try Self.trainedModel()
        let good = temporaryDirectory() + "/model.json"
        try model.save(to: good)
        let text = try String(contentsOfFile: good, encoding: .utf8)

        let truncated = temporaryFile("model.json", String(text.prefix(text.count / 2)))
        #expect(throws: DNNError("\(truncated): not a model file, or damaged or truncated (not valid JSON)")) {
            try DeepNeuralNetwork(contentsOf: truncated)
        }
        let foreign = temporaryFile("model.json", "{\"name\": \"something else\"}")
        #expect(throws: DNNError("\(foreign): not a swift-dnn model file (its format is not given)")) {
            try DeepNeuralNetwork(contentsOf: foreign)
        }
        let newer = temporaryFile("model.json", text.replacingOccurrences(of: "\"version\":3", with: "\"version\":5"))
        #expect(throws: DNNError("\(newer): written by a newer swift-dnn (format version 5; this one reads up to 4)")) {
            try DeepNeuralNetwork(contentsOf: newer)
        }
        let far = temporaryFile(
            "model.json", text.replacingOccurrences(of: "\"version\":3", with: "\"version\":99999999999999999999"))
        #expect(throws: DNNError("\(far): written by a newer swift-dnn (format version 1e+20; this one reads up to 4)"))
        {
            try DeepNeuralNetwork(contentsOf: far)
        }
        let fraction = temporaryFile(
            "model.json", text.replacingOccurrences(of: "\"version\":3", with: "\"version\":1.5"))
        #expect(throws: DNNError("\(fraction): damaged model file (no format version)")) {
            try DeepNeuralNetwork(contentsOf: fraction)
        }
        let missing = temporaryFile("model.json", text.replacingOccurrences(of: "\"layerSizes\"", with: "\"sizes\""))
        #expect(throws: DNNError("\(missing): damaged model file: 'layerSizes' is missing")) {
            try DeepNeuralNetwork(contentsOf: missing)
        }
        let wrongSizes = temporaryFile(
            "model.json",
            text.replacingOccurrences(of: "\"layerSizes\":[2,6,3,1]", with: "\"layerSizes\":[2,5,3,1]"))
        #expect(throws: DNNError("\(wrongSizes): damaged model file: W1 or b1 is not of shape (5,2) and (5,1)")) {
            try DeepNeuralNetwork(contentsOf: wrongSizes)
        }
        let notFile = temporaryDirectory() + "/absent.json"
        #expect(throws: DNNError("\(notFile): no such file")) { try DeepNeuralNetwork(contentsOf: notFile) }
    }
}

/// Files of format version 1, written before networks were values, by swift-dnn at commit c916a59:
///
///     dnn train --train moons_train.csv --layers 5,3 --init he --learning-rate 0.02 \
///         --mini-batch-size 64 --epochs 100 --optimizer adam --print-every 50 --output model-v1.json
///     dnn predict --model model-v1.json --data moons_train.csv --output predictions-v1.csv
///     dnn train --train moons_train.csv --resume model-v1.json --learning-rate 0.02 \
///         --mini-batch-size 64 --epochs 10 --optimizer adam --print-every 5 --output resumed-v1.json
@Suite(
    "Model files of version 1 still load, predict and resume as before",
    .enabled(
        if: FileManager.default.fileExists(atPath: SharedData.path("course2/moons_train.csv")),
        "the course's next-part data are not in ../shared/data/course2; skipped"))
struct ModelFileVersion1Tests {
    static let moons = try! Dataset.load(SharedData.path("course2/moons_train.csv"))

    /// The fixtures were written on one machine's BLAS kernels; another CPU's kernels may round a
    /// product differently in the last bit, so the comparison allows a few ulps (1e-14 relative):
    /// far below any difference a change in how the file is read would make.
    static func expectClose(_ now: [Double], _ then: [Double], _ tolerance: Double, _ what: String) {
        #expect(now.count == then.count)
        let worst = zip(now, then).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
        #expect(worst <= tolerance, "\(what): largest relative difference \(worst)")
    }

    @Test("a version-1 model predicts the probabilities it predicted then")
    func predicts() throws {
        let model = try DeepNeuralNetwork(contentsOf: Fixtures.path("model-v1.json"))
        #expect(model.network == Network(layerSizes: [2, 5, 3, 1]))
        #expect(model.optimizerState?.optimizer == .courseAdam)
        #expect(model.training?.optimizer == .courseAdam)
        let lines = try String(contentsOfFile: Fixtures.path("predictions-v1.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        let then = lines.map { Double($0.split(separator: ",")[1])! }
        let now = try model.predict(Self.moons.X).probabilities.scalars
        Self.expectClose(now, then, 1e-14, "probabilities")
    }

    @Test("a version-1 model resumes with its Adam state exactly as version 1 did")
    func resumes() throws {
        var model = try DeepNeuralNetwork(contentsOf: Fixtures.path("model-v1.json"))
        try model.train(
            Self.moons.X, Self.moons.Y,
            options: TrainingOptions(
                learningRate: 0.02, iterations: 10, miniBatchSize: 64, optimizer: .courseAdam, reportEvery: 5))
        let then = try DeepNeuralNetwork(contentsOf: Fixtures.path("resumed-v1.json"))
        // Ten epochs of Adam amplify a last-bit difference of the kernels to about 1e-14.
        for l in 1...3 {
            Self.expectClose(model.parameters.W(l).scalars, then.parameters.W(l).scalars, 1e-11, "W\(l)")
            Self.expectClose(model.parameters.b(l).scalars, then.parameters.b(l).scalars, 1e-11, "b\(l)")
        }
        #expect(model.optimizerState?.step == then.optimizerState?.step)
        #expect(model.optimizerState?.shuffleSeed == then.optimizerState?.shuffleSeed)
        for (now, saved) in zip(model.optimizerState!.moments, then.optimizerState!.moments) {
            #expect(zip(now, saved).allSatisfy { abs($0 - $1) <= 1e-11 * max(abs($1), 1e-3) })
        }
    }

    /// Found by `scripts/fuzz model`: version 1's moment lists of different lengths trapped.
    @Test("a version-1 file whose moment lists disagree in length is a one-line error")
    func unevenMoments() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("model-v1.json")))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var state = try #require(object["optimizerState"] as? [String: Any])
        let secondMoments = try #require(state["sW"] as? [Any])
        state["sW"] = Array(secondMoments.dropLast())
        object["optimizerState"] = state
        let path = temporaryFile(
            "uneven.json", String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        #expect(throws: DNNError("\(path): damaged model file: 'optimizerState.vb' is not what it should be")) {
            try DeepNeuralNetwork(contentsOf: path)
        }
    }
}

/// Fields of a model file that once crashed the tool: they are checked when the file is read.
@Suite("Model file fields are validated")
struct ModelFileFieldTests {
    static func file(replacing old: String, with new: String) throws -> String {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        model.inputShape = [1, 2, 1]
        try model.train(
            flower.X, flower.Y,
            options: TrainingOptions(learningRate: 0.01, iterations: 2, miniBatchSize: 100, optimizer: .courseAdam))
        let text = String(decoding: try model.fileData(), as: UTF8.self)
        #expect(text.contains(old))
        return temporaryFile("model.json", text.replacingOccurrences(of: old, with: new))
    }

    @Test(
        "bad fields are one-line errors",
        arguments: [
            (
                "\"inputShape\":[1,2,1]", "\"inputShape\":[-64,-64,3]",
                "inputShape [-64, -64, 3] is not a picture of 2 values"
            ),
            (
                "\"inputShape\":[1,2,1]", "\"inputShape\":[1099511627776,1099511627776,3]",
                "inputShape [1099511627776, 1099511627776, 3] is not a picture of 2 values"
            ),
            ("\"step\":8", "\"step\":9223372036854775807", "optimizer step 9223372036854775807 is out of range"),
            // Foundation's decoder would keep one of two equal keys without a word.
            ("\"version\":3", "\"version\":3,\"version\":1", "'version' is given twice in the file's outer object"),
            (
                "\"version\":3", "\"version\":3,\"vers\\u0069on\":3",
                "'version' is given twice in the file's outer object"
            ),
            ("\"b\":", "\"b\":[[0]],\"b\":", "'b' is given twice in 'parameters[0]'"),
            ("\"step\":8", "\"step\":8,\"step\":8", "'step' is given twice in 'optimizerState'"),
            // Valid JSON whose number does not fit its field is not "not valid JSON".
            (
                "\"shuffleSeed\":12", "\"shuffleSeed\":4294967296",
                "a number does not fit its field (too large, or a fraction where a whole number belongs)"
            ),
            (
                "\"layerSizes\":[2,3,1]", "\"layerSizes\":[2,3.5,1]",
                "a number does not fit its field (too large, or a fraction where a whole number belongs)"
            ),
        ])
    func badFields(old: String, new: String, message: String) throws {
        let path = try Self.file(replacing: old, with: new)
        #expect(throws: DNNError("\(path): damaged model file: \(message)")) { try DeepNeuralNetwork(contentsOf: path) }
    }

    @Test("a shuffle seed saved at 2³² − 1 resumes without trapping")
    func largestSeed() throws {
        let path = try Self.file(replacing: "\"shuffleSeed\":12", with: "\"shuffleSeed\":4294967295")
        var model = try DeepNeuralNetwork(contentsOf: path)
        let flower = Dataset.flower()
        try model.train(
            flower.X, flower.Y,
            options: TrainingOptions(learningRate: 0.01, iterations: 1, miniBatchSize: 100, optimizer: .courseAdam))
        #expect(model.optimizerState?.shuffleSeed == 0)
    }
}

/// Files of format version 2, written before tasks (every model a classifier, its class names in
/// `classNames`), by swift-dnn at commit 74473dc:
///
///     dnn train --train digits_train.csv --layers 8 --init he --learning-rate 0.01 \
///         --mini-batch-size 64 --epochs 5 --optimizer adam --print-every 1 --output model-v2.json
///     dnn predict --model model-v2.json --data digits_test.csv --output predictions-v2.csv
///     dnn train --train digits_train.csv --resume model-v2.json --learning-rate 0.01 \
///         --mini-batch-size 64 --epochs 3 --optimizer adam --print-every 1 --output resumed-v2.json
@Suite(
    "Model files of version 2 still load, predict and resume as before",
    .enabled(
        if: FileManager.default.fileExists(atPath: SharedData.path("real/digits_train.csv")),
        "the digits data are not in ../shared/data/real; skipped"))
struct ModelFileVersion2Tests {
    @Test("a version-2 softmax model is a classifier of its class names and predicts what it predicted then")
    func predicts() throws {
        let model = try DeepNeuralNetwork(contentsOf: Fixtures.path("model-v2.json"))
        #expect(model.task == .classification(classes: (0..<10).map(String.init)))
        #expect(model.network.head == .softmax && model.layerSizes == [64, 8, 10])
        let test = try Dataset.load(SharedData.path("real/digits_test.csv"))
        let lines = try String(contentsOfFile: Fixtures.path("predictions-v2.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst()
        // Columns: example, label, class, then the ten probabilities.
        let then = lines.map { $0.split(separator: ",").dropFirst(3).map { Double($0)! } }
        let (now, labels) = try model.predict(test.X)
        ModelFileVersion1Tests.expectClose(now.T.scalars, then.flatMap { $0 }, 1e-13, "probabilities of 450 digits")
        #expect(lines.map { Double($0.split(separator: ",")[1])! } == labels.scalars)
    }

    @Test("a version-2 model resumes with its Adam state exactly as version 2 did")
    func resumes() throws {
        var model = try DeepNeuralNetwork(contentsOf: Fixtures.path("model-v2.json"))
        let train = try Dataset.load(SharedData.path("real/digits_train.csv"))
        try model.train(
            train.X, train.Y,
            options: TrainingOptions(
                learningRate: 0.01, iterations: 3, miniBatchSize: 64, optimizer: .courseAdam, reportEvery: 1))
        let then = try DeepNeuralNetwork(contentsOf: Fixtures.path("resumed-v2.json"))
        for l in 1...2 {
            ModelFileVersion1Tests.expectClose(
                model.parameters.W(l).scalars, then.parameters.W(l).scalars, 1e-11, "W\(l)")
            ModelFileVersion1Tests.expectClose(
                model.parameters.b(l).scalars, then.parameters.b(l).scalars, 1e-11, "b\(l)")
        }
        #expect(model.training?.iterations == 8 && then.training?.iterations == 8)
        #expect(model.optimizerState?.step == then.optimizerState?.step)
        #expect(model.optimizerState?.shuffleSeed == then.optimizerState?.shuffleSeed)
    }
}
