import DNN
import Foundation
import Testing

/// `--json` on train, evaluate, cv and info: one JSON object on standard output, nothing else
/// there, the same numbers as the text.
@Suite("Results machines can read: --json")
struct JSONOutputTests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("--timings: one line naming each stage's seconds in order, after the scores")
    func timings() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let run = try CommandRunner.run(
            ["train", "--train", "three.csv", "--layers", "4", "--iterations", "10", "--timings", "--quiet"],
            in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(run.stdout.split(separator: "\n").last.map(String.init))
        let pattern =
            #/^Timings: load [0-9.]+ s, setup [0-9.]+ s, passes [0-9.]+ s, scoring [0-9.]+ s, writing [0-9.]+ s \(total [0-9.]+ s\)\.$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    @Test("train, evaluate and info print one JSON object each, with the text's numbers")
    func commands() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let common = ["--layers", "6", "--init", "he", "--iterations", "100", "--learning-rate", "0.1"]
        let text = try CommandRunner.run(
            ["train", "--train", "three.csv", "--test", "three.csv"] + common, in: directory)
        let json = try CommandRunner.run(
            ["train", "--train", "three.csv", "--test", "three.csv", "--json", "--output", "m.json"] + common,
            in: directory)
        #expect(json.status == 0, "\(json.stderr)")
        let trained = try Self.object(json.stdout)
        let accuracy = text.stdout.split(separator: "\n").first { $0.hasPrefix("Test accuracy: ") }.map {
            Double($0.dropFirst(15))!
        }
        #expect((trained["test"] as? [String: Any])?["accuracy"] as? Double == accuracy)
        #expect(trained["passes"] as? Int == 100 && trained["model"] as? String == "m.json")
        // Each stage's seconds, and their total.
        let stages = try #require(trained["timings"] as? [String: Double])
        #expect(Set(stages.keys) == ["load", "setup", "passes", "scoring", "writing", "total"])
        #expect(stages.values.allSatisfy { $0 >= 0 })
        let sum = ["load", "setup", "passes", "scoring", "writing"].reduce(0) { $0 + stages[$1]! }
        #expect(abs(stages["total"]! - sum) < 1e-9)
        #expect((trained["task"] as? [String: Any])?["names"] as? [String] == ["a", "b", "c"])

        let evaluate = try CommandRunner.run(
            ["evaluate", "--model", "m.json", "--data", "three.csv", "--json"], in: directory)
        let evaluation = try Self.object(evaluate.stdout)
        #expect(evaluation["accuracy"] as? Double == accuracy)
        #expect((evaluation["macro"] as? [String: Any])?["f1"] is Double)
        #expect(
            (evaluation["weighted"] as? [String: Any])?["recall"] as? Double == accuracy, "weighted recall is accuracy")

        let info = try Self.object(
            try CommandRunner.run(["info", "--model", "m.json", "--json"], in: directory).stdout)
        #expect(info["layers"] as? [Int] == [4, 6, 3] && info["target_columns"] as? [String] == ["label"])
        #expect(info["preprocessing"] != nil)
        let data = try Self.object(
            try CommandRunner.run(["info", "--data", "three.csv", "--json"], in: directory).stdout)
        #expect(data["rows"] as? Int == 90)
        let roles = (data["columns"] as? [[String: Any]])?.map { "\($0["name"]!):\($0["role"]!):\($0["type"]!)" }
        #expect(
            roles == [
                "x1:feature:numeric", "x2:feature:numeric", "shade:feature:categorical", "label:target:categorical",
            ])
    }
}
