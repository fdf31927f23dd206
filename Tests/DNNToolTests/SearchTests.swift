import DNN
import Foundation
import Testing

/// `dnn search`: each candidate scored as `dnn cv` scores it, ranked, drawn reproducibly, halved
/// as planned, shared over MPI with the same result, the best refitted; bad grids refused.
@Suite("Search through the dnn command")
struct SearchTests {
    static let settings = ["--init", "he", "--iterations", "100", "--folds", "3"]

    static func search(_ arguments: [String], in directory: String) throws -> [String: Any] {
        let run = try CommandRunner.run(["search", "--train", "three.csv", "--json"] + arguments, in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    /// "f1=0|1|…|9;…;f7=0|…|9": ten million combinations.
    static let sevenFlagsOfTenValues: String = {
        let values: String = (0..<10).map { String($0) }.joined(separator: "|")
        return (1...7).map { (flag: Int) -> String in "f\(flag)=" + values }.joined(separator: ";")
    }()

    static func candidates(_ object: [String: Any]) throws -> [[String: Any]] {
        try #require(object["candidates"] as? [[String: Any]])
    }

    static func accuracy(_ candidate: [String: Any]) -> Double? {
        ((candidate["scores"] as? [String: Any])?["accuracy"] as? [String: Any])?["mean"] as? Double
    }

    @Test("a grid's every combination, ranked by accuracy, each the score dnn cv gives it; the best refitted")
    func grid() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let object = try Self.search(
            ["--grid", "layers=4|8,4; learning-rate=0.1|0.01", "--output", "best.json", "--results", "all.csv"]
                + Self.settings, in: directory)
        let candidates = try Self.candidates(object)
        #expect(candidates.count == 4)
        let accuracies = candidates.compactMap(Self.accuracy)
        #expect(accuracies.count == 4)
        #expect(accuracies == accuracies.sorted(by: >))
        #expect(Set(candidates.compactMap { $0["index"] as? Int }) == [0, 1, 2, 3])
        #expect(candidates.map { $0["rank"] as? Int } == [1, 2, 3, 4])

        // The second-ranked candidate, cross-validated alone.
        let second = try #require(candidates[1]["settings"] as? [String: String])
        let cv = try CommandRunner.run(
            [
                "cv", "--train", "three.csv", "--json", "--layers", second["layers"]!, "--learning-rate",
                second["learning-rate"]!,
            ] + Self.settings, in: directory)
        let scores = try #require(
            (try JSONSerialization.jsonObject(with: Data(cv.stdout.utf8)) as? [String: Any])?["scores"]
                as? [String: Any])
        #expect((scores["accuracy"] as? [String: Any])?["mean"] as? Double == accuracies[1])

        // The refit: the best candidate's network, trained on all 90 rows.
        let best = try #require(candidates[0]["settings"] as? [String: String])
        let info = try CommandRunner.run(["info", "--model", "best.json", "--json"], in: directory)
        let model = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        let hidden = (model["layers"] as? [Int])?.dropFirst().dropLast().map(String.init).joined(separator: ",")
        #expect(hidden == best["layers"])
        #expect((object["refit"] as? [String: Any]) != nil)

        // The CSV: a header and a row per candidate, in the same order.
        let rows = try String(contentsOfFile: directory + "/all.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows[0].hasPrefix("rank,index,round,examples,layers,learning-rate,accuracy_mean,accuracy_std"))
        #expect(rows[1].hasPrefix("1,\(candidates[0]["index"] as! Int),1,90,"))
    }

    @Test("random draws: the same seed the same candidates, inside their ranges; another seed others")
    func random() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let space = ["--random", "5", "--space", "learning-rate=log:0.001:0.3; layers=4|8; iterations=int:20:60"]
        func draws(_ seed: String) throws -> [[String: String]] {
            try Self.candidates(
                try Self.search(space + ["--search-seed", seed, "--init", "he", "--folds", "3"], in: directory)
            )
            .sorted { ($0["index"] as! Int) < ($1["index"] as! Int) }.map { $0["settings"] as! [String: String] }
        }
        let first = try draws("4"), again = try draws("4"), other = try draws("5")
        #expect(first.count == 5)
        #expect(first == again)
        #expect(first != other)
        for candidate in first {
            let rate = try #require(Double(candidate["learning-rate"] ?? ""))
            #expect(rate >= 0.001 && rate <= 0.3)
            #expect(["4", "8"].contains(candidate["layers"]))
            let iterations = try #require(Int(candidate["iterations"] ?? ""))
            #expect((20...60).contains(iterations))
        }
    }

    @Test("halving: scikit-learn's rounds, each round's survivors the best of the round before")
    func halving() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let object = try Self.search(
            ["--grid", "layers=2|4|8; learning-rate=0.3|0.1|0.03|0.01|0.003|0.001", "--halving"] + Self.settings,
            in: directory)
        let candidates = try Self.candidates(object)
        // 18 candidates, 90 examples, 3 folds of 3 classes: SuccessiveHalving's plan.
        let plan = SuccessiveHalving(candidates: 18, examples: 90, factor: 3, smallest: 18)
        #expect(plan.examples.count == 2)
        for (round, count) in plan.candidates.enumerated() {
            #expect(candidates.filter { ($0["round"] as? Int ?? 0) >= round + 1 }.count == count)
            let examples = Set(
                candidates.filter { $0["round"] as? Int == round + 1 }.compactMap { $0["examples"] as? Int })
            #expect(examples == [plan.examples[round]])
        }
        // Those that went on to round 2 beat, in round 1, every one left there.
        let survivorsRoundOne = candidates.filter { $0["round"] as? Int == 2 }.count
        #expect(survivorsRoundOne == plan.candidates[1])
        let left = candidates.filter { $0["round"] as? Int == 1 }
        #expect(left.count == 18 - survivorsRoundOne)
        #expect(left.compactMap(Self.accuracy) == left.compactMap(Self.accuracy).sorted(by: >))
    }

    @Test(
        "mpirun -np 2 dnn search --distributed: every candidate's score as one process gives it",
        .enabled(if: MPIJob.runnable, MPIJob.reason))
    func distributed() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let arguments =
            ["search", "--train", "three.csv", "--json", "--grid", "layers=4|8; learning-rate=0.1|0.03|0.01"]
            + Self.settings
        let one = try CommandRunner.run(arguments, in: directory)
        let two = try MPIJob.run(processes: 2, arguments + ["--distributed"], in: directory)
        #expect(two.status == 0, "\(two.stderr)")
        func ranking(_ text: String) throws -> [String] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            return try Self.candidates(object).map { candidate in
                let scores = try JSONSerialization.data(withJSONObject: candidate["scores"]!, options: [.sortedKeys])
                return "\(candidate["index"]!) \(String(decoding: scores, as: UTF8.self))"
            }
        }
        #expect(try ranking(two.stdout) == ranking(one.stdout))
        #expect(try ranking(one.stdout).count == 6)
    }

    @Test("a flag's false is its inverse: standardize=true|false scores --standardize and --no-standardize")
    func booleanFlags() throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        // Features scaled up, so that standardising matters; the tabular preset standardises
        // unless told not to.
        let lines = try String(contentsOfFile: directory + "/three.csv", encoding: .utf8).split(separator: "\n")
        let scaled =
            [String(lines[0])]
            + lines.dropFirst().map { line -> String in
                var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[0] = String(Double(cells[0])! * 1000)
                return cells.joined(separator: ",")
            }
        try Data((scaled.joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: directory + "/scaled.csv"))
        let common = ["--train", "scaled.csv", "--folds", "3", "--epochs", "5", "--json"]
        let run = try CommandRunner.run(["search", "--grid", "standardize=true|false"] + common, in: directory)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        var bySetting = [String: Double]()
        for candidate in try Self.candidates(object) {
            bySetting[(candidate["settings"] as? [String: String])?["standardize"] ?? ""] = Self.accuracy(candidate)
        }
        for (value, flag) in [("true", "--standardize"), ("false", "--no-standardize")] {
            let cv = try CommandRunner.run(["cv", flag] + common, in: directory)
            let scores = try #require(
                (try JSONSerialization.jsonObject(with: Data(cv.stdout.utf8)) as? [String: Any])?["scores"]
                    as? [String: Any])
            #expect((scores["accuracy"] as? [String: Any])?["mean"] as? Double == bySetting[value], "\(flag)")
        }
        #expect(bySetting["true"] != bySetting["false"])
    }

    @Test(
        "bad grids and spaces: one line, status 2, nothing written",
        arguments: [
            (["--grid", "bogus=1|2"], "dnn: --grid: candidate 1 (bogus=1): Unknown option '--bogus'"),
            (["--grid", "layers=abc|8"], "dnn: --grid: candidate 1 (layers=abc): The value 'abc' is invalid"),
            (["--grid", "learning-rate"], "dnn: --grid: 'learning-rate' is not FLAG=VALUES"),
            (["--grid", "folds=2|3"], "dnn: --grid: folds is the same for every candidate"),
            (["--grid", "l2=0|1", "--l2", "2"], "dnn: --grid: --l2 is also given to every candidate"),
            (["--grid", "l2=0|1; l2=2"], "dnn: --grid: the flag 'l2' is given twice"),
            (
                ["--random", "3", "--space", "learning-rate=log:0:1"],
                "dnn: --space: learning-rate=log:0:1: a log range"
            ),
            (
                ["--random", "3", "--space", "learning-rate=2:1"],
                "dnn: --space: learning-rate=2:1: the range needs two"
            ),
            (["--random", "3"], "dnn: --random needs --space"),
            (["--grid", "l2=0|1", "--folds", "31"], "dnn: --folds 31: the smallest class has 30 example(s)"),
            (["--grid", "l2=0|1", "--scoring", "r2"], "dnn: --scoring r2: this task's scores are accuracy"),
            (["--grid", "l2=0|1", "--class-weight", "a=-1"], "dnn: --class-weight"),
            (["--grid", "l2=0|1", "--factor", "4"], "dnn: --factor goes with --halving"),
            (["--grid", "l2=0|1", "--halving", "--factor", "1001"], "dnn: --factor 1001: between 2 and 1000"),
            (["--grid", "l2=0|1", "--search-seed", "3"], "dnn: --search-seed goes with --random"),
            (["--grid", "l2=0|1", "--examples", "40"], "dnn: --examples: not an option for every candidate"),
            (["--grid", "l2=0|1", "--folds-output", "f.csv"], "dnn: --folds-output: not an option for every"),
            (["--grid", "l2=0|1", "--results", "m.json"], "dnn: m.json: named for two outputs"),
            (["--random", "2", "--space", "epochs=int:5:10:20"], "dnn: --space: epochs=int:5:10:20: a range is"),
            (["--random", "2", "--space", "epochs=int:1:1e30"], "dnn: --space: epochs=int:1:1e30: int bounds"),
            (
                ["--grid", Self.sevenFlagsOfTenValues],
                "dnn: --grid: 10000000 candidates; at most 100000"
            ),
            // 2 · 16 folds · 3 classes = 96 examples for the first round, of 90.
            (["--grid", "l2=0|1", "--halving", "--folds", "16"], "dnn: --halving: its first round needs 96 examples"),
        ])
    func badInput(_ arguments: [String], _ message: String) throws {
        let directory = temporaryDirectory()
        try CrossValidateTests.write(to: directory)
        let before = try directoryContents(directory)
        let run = try CommandRunner.run(
            ["search", "--train", "three.csv", "--output", "m.json", "--results", "r.csv"] + arguments, in: directory)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(try directoryContents(directory) == before)
    }
}
