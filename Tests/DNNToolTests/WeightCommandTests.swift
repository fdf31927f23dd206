import DNN
import Foundation
import Testing

/// `--class-weight` and `--sample-weight-column` through `dnn train`: the weights counted, the
/// column not a feature, the record saying so, and every bad weight one line with status 2.
@Suite("Weights through the dnn command")
struct WeightCommandTests {
    /// 200 rows, one in ten of class 1 (shifted by 1.5 in x1), a weight column w of 1, 2, 3.
    static func write(to directory: String) throws {
        var rng = NumPyRandom(seed: 31)
        var text = "x1,x2,w,label\n"
        for i in 0..<200 {
            let y = i % 10 == 0 ? 1 : 0
            text += "\(rng.randn(1, 1)[0, 0] + 1.5 * Double(y)),\(rng.randn(1, 1)[0, 0]),\(1 + i % 3),\(y)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/imbalanced.csv"))
    }

    static func recallOfClass1(_ directory: String, _ model: String) throws -> Double {
        let result = try CommandRunner.run(
            ["evaluate", "--model", model, "--data", "imbalanced.csv", "--json"], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let classes = try #require(object["classes"] as? [[String: Any]])
        return classes[1]["recall"] as? Double ?? 0
    }

    @Test("balanced class weights find the rare class; the weight column is no feature; the record says so")
    func weighted() throws {
        let directory = temporaryDirectory()
        try Self.write(to: directory)
        let common = ["--train", "imbalanced.csv", "--layers", "4", "--iterations", "300", "--learning-rate", "0.1"]
        for (output, extra) in [
            ("plain.json", ["--ignore-column", "w"]),
            ("balanced.json", ["--class-weight", "balanced", "--ignore-column", "w"]),
            ("column.json", ["--class-weight", "balanced", "--sample-weight-column", "w"]),
        ] {
            let result = try CommandRunner.run(["train"] + common + extra + ["--output", output], in: directory)
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(try Self.recallOfClass1(directory, "plain.json") < 0.5)
        #expect(try Self.recallOfClass1(directory, "balanced.json") > 0.7)
        let column = try DeepNeuralNetwork(contentsOf: directory + "/column.json")
        #expect(column.featureNames == ["x1", "x2"])
        #expect(column.training?.weighting == "class weights balanced, column w")
        #expect(try DeepNeuralNetwork(contentsOf: directory + "/plain.json").training?.weighting == nil)
    }

    @Test(
        "bad weights: one line, status 2, nothing written",
        arguments: [
            (["--class-weight", "2=3"], "--class-weight: no class '2' in the data (0, 1)"),
            (
                ["--class-weight", "0=-1"],
                "--class-weight 0=-1: the weight of '0' is '-1'; weights are numbers of 0 or more"
            ),
            (["--class-weight", "0=1,1"], "--class-weight 0=1,1: '1' is not CLASS=WEIGHT (or give balanced)"),
            (["--class-weight", "0=0,1=0"], "the weights of every training example are 0; at least one must count"),
            (["--sample-weight-column", "weight"], "imbalanced.csv: no column named 'weight' for the weights"),
            (
                ["--sample-weight-column", "x1"],
                "imbalanced.csv:4: column 'x1': weight '-0.21859967125215732' is not a number of 0 or more"
            ),
        ])
    func refused(arguments: [String], message: String) throws {
        let directory = temporaryDirectory()
        try Self.write(to: directory)
        _ = try BadInputTests.expectRefused(
            ["train", "--train", "imbalanced.csv", "--iterations", "2", "--output", "m.json"] + arguments,
            in: directory,
            status: 2, .between(prefix: "dnn: ", suffix: ""))
        let result = try CommandRunner.run(
            ["train", "--train", "imbalanced.csv", "--iterations", "2"] + arguments, in: directory)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}
