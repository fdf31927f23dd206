import DNN
import Foundation
import Testing

/// Batch normalisation through `dnn`: `:bn` in --layers and --batch-norm, the model file, predict
/// and evaluate with the running averages, .npz both ways, and every bad input in one line.
@Suite("Batch normalisation through the dnn command")
struct BatchNormCommandTests {
    static func json(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    @Test("--layers 8:bn,4 and --batch-norm: trained, written as version 4, predicted alike after .npz both ways")
    func trainPredictTravel() throws {
        let directory = temporaryDirectory()
        try TaskCommandTests.writeData(to: directory)
        for (flags, normalized) in [
            (["--layers", "8:bn,4"], [true, false]), (["--layers", "8,4", "--batch-norm"], [true, true]),
        ] {
            let train = try CommandRunner.run(
                [
                    "train", "--train", "labels.csv", "--target", "a,b,c", "--optimizer", "adam", "--learning-rate",
                    "0.01",
                    "--mini-batch-size", "32", "--epochs", "30", "--output", "m.json",
                ] + flags, in: directory)
            #expect(train.status == 0, "\(train.stderr)")
            let model = try Self.json(directory + "/m.json")
            #expect(model["version"] as? Int == 4)
            let settings = try #require(model["batchNorm"] as? [Any])
            #expect(settings.map { !($0 is NSNull) } == normalized)
            let layers = try #require(model["parameters"] as? [[String: Any]])
            #expect(layers.map { $0["gamma"] != nil } == normalized + [false])
            let evaluate = try CommandRunner.run(
                ["evaluate", "--model", "m.json", "--data", "labels.csv", "--json"], in: directory)
            #expect(evaluate.status == 0, "\(evaluate.stderr)")
            // .npz out and back in: the same model, the same predictions.
            for command in [
                ["export", "--model", "m.json", "--format", "npz", "--output", "m.npz"],
                ["import", "--input", "m.npz", "--output", "back.json"],
                ["predict", "--model", "m.json", "--data", "labels.csv", "--output", "p1.csv"],
                ["predict", "--model", "back.json", "--data", "labels.csv", "--output", "p2.csv"],
            ] {
                let result = try CommandRunner.run(command, in: directory)
                #expect(result.status == 0, "\(command[0]): \(result.stderr)")
            }
            let first = try TaskCommandTests.predictions(directory + "/p1.csv")
            let second = try TaskCommandTests.predictions(directory + "/p2.csv")
            #expect(first.rows == second.rows)
            let back = try Self.json(directory + "/back.json")
            #expect((back["parameters"] as? [[String: Any]])?.map { $0["gamma"] != nil } == normalized + [false])
        }
    }

    @Test("bad batch normalisation: one line, status 2 for the command line and 1 otherwise, nothing written")
    func badInputs() throws {
        let directory = temporaryDirectory()
        try TaskCommandTests.writeData(to: directory)
        let base = ["train", "--train", "labels.csv", "--target", "a,b,c", "--output", "m.json"]
        try BadInputTests.expectRefused(
            ["train", "--train", "labels.csv", "--target", "a,b,c", "--layer-dims", "3,8,3:bn", "--output", "m.json"],
            in: directory, status: 2,
            .exactly(
                "dnn: --layer-dims 3,8,3:bn: only hidden layers can be batch-normalised (not the input or the output layer)"
            ))
        // 180 examples trained on (the tabular preset holds 20 of 200 out) in batches of 179: the last holds one.
        try BadInputTests.expectRefused(
            base + ["--batch-norm", "--mini-batch-size", "179", "--epochs", "2"], in: directory,
            .exactly(
                "dnn: batch normalisation needs 2 examples or more in a batch, but the last mini-batch of 180 examples "
                    + "holds 1 (its variance is undefined); choose another --mini-batch-size"))
        try BadInputTests.expectRefused(
            base + ["--batch-norm", "--mini-batch-size", "1", "--epochs", "2"], in: directory,
            .exactly(
                "dnn: batch normalisation needs 2 examples or more in a batch, but every batch holds 1 (its variance "
                    + "is undefined); choose another --mini-batch-size"))
        try BadInputTests.expectRefused(
            base + ["--batch-norm", "--engine", "dual", "--iterations", "5"], in: directory,
            .exactly("dnn: the dual engine cannot batch-normalise (it never forms Z1 per batch); use --engine direct"))

        try BadInputTests.expectRefused(
            base + ["--resume", "m.json", "--batch-norm"], in: directory, status: 2,
            .exactly("dnn: --batch-norm: --resume keeps the saved model's layers"))
        // A model file whose numbers are damaged: a negative running variance, a γ of the wrong
        // length, numbers on the output layer.
        let train = try CommandRunner.run(
            base + ["--layers", "8:bn,4", "--mini-batch-size", "32", "--epochs", "2"], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let good = try Self.json(directory + "/m.json")
        func damaged(_ name: String, _ change: (inout [[String: Any]]) -> Void) throws {
            var model = good
            var layers = model["parameters"] as! [[String: Any]]
            change(&layers)
            model["parameters"] = layers
            try JSONSerialization.data(withJSONObject: model).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        try damaged("negative.json") { $0[0]["runningVariance"] = [[-1.0]] + Array(repeating: [1.0], count: 7) }
        try damaged("short.json") { $0[0]["gamma"] = [[1.0], [1.0]] }
        try damaged("output.json") { layers in
            for key in ["gamma", "beta", "runningMean", "runningVariance"] {
                layers[2][key] = Array(repeating: [1.0], count: 3)
            }
        }
        for (name, message) in [
            ("negative.json", "layer 1's batch normalisation: runningVariance[0] is -1.0; a variance is 0 or more"),
            ("short.json", "layer 1's gamma is not of shape (8,1)"),
            ("output.json", "the output layer cannot be batch-normalised (its loss reads Z[L] itself)"),
        ] {
            try BadInputTests.expectRefused(
                ["predict", "--model", name, "--data", "labels.csv", "--output", "p.csv"], in: directory,
                .exactly("dnn: \(name): damaged model file: \(message)"))
        }
    }
}
