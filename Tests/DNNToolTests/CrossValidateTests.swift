import DNN
import Foundation
import Testing

/// `dnn cv`: folds stratified, seeded and written out; each fold's score what `dnn train` gives
/// on that fold's rows; refusals in one line.
@Suite("Cross-validation through the dnn command")
struct CrossValidateTests {
    /// 90 rows of three classes (30, 30, 30) in a CSV with a text column and a gap.
    static func write(to directory: String) throws {
        var rng = NumPyRandom(seed: 12)
        var text = "x1,x2,shade,label\n"
        for i in 0..<90 {
            let label = ["a", "b", "c"][i % 3]
            let centre = Double(i % 3) * 2
            let shade = i == 5 ? "" : ["light", "dark"][Int(rng.uniform() * 2)]
            text += "\(centre + rng.randn(1, 1)[0, 0]),\(rng.randn(1, 1)[0, 0]),\(shade),\(label)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/three.csv"))
    }

    static let settings = ["--layers", "6", "--init", "he", "--iterations", "150", "--learning-rate", "0.1"]

    @Test("--drop-missing-target: the folds are the kept rows', stratified; --folds-output in the file's rows")
    func droppedTargets() throws {
        let directory = temporaryDirectory()
        try Self.write(to: directory)
        // Blank the label of every ninth row: 10 of the 90 left out.
        var lines = try String(contentsOfFile: directory + "/three.csv", encoding: .utf8).split(separator: "\n")
            .map(String.init)
        for row in stride(from: 0, to: 90, by: 9) { lines[row + 1] = String(lines[row + 1].dropLast()) }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/gaps.csv"))
        let cv = try CommandRunner.run(
            [
                "cv", "--train", "gaps.csv", "--drop-missing-target", "--folds", "4", "--folds-output", "folds.csv",
                "--json",
            ]
                + Self.settings, in: directory)
        #expect(cv.status == 0, "\(cv.stderr)")
        #expect(cv.stderr.contains("10 row(s) without a target left out"))
        let folds = try String(contentsOfFile: directory + "/folds.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { $0.split(separator: ",").map { Int($0)! } }.sorted { $0[0] < $1[0] }.map { $0[2] }
        #expect(folds.count == 90)
        #expect((0..<90).allSatisfy { ($0 % 9 == 0) == (folds[$0] == -1) })
        // Row r's class is r mod 3, and the rows left out (every ninth) are all of the first: 20,
        // 30 and 30 kept. Each fold holds a quarter of each class's, give or take one.
        for k in 0..<4 {
            let counts = (0..<3).map { c in (0..<90).filter { folds[$0] == k && $0 % 3 == c }.count }
            #expect(
                counts[0] == 5 && (7...8).contains(counts[1]) && (7...8).contains(counts[2]), "fold \(k): \(counts)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(cv.stdout.utf8)) as? [String: Any])
        #expect(object["examples"] as? Int == 80)
    }

    @Test("folds stratified and written; a fold's score is what train gives on its rows; the JSON's mean")
    func folds() throws {
        let directory = temporaryDirectory()
        try Self.write(to: directory)
        let cv = try CommandRunner.run(
            ["cv", "--train", "three.csv", "--folds", "3", "--repeats", "2", "--folds-output", "folds.csv", "--json"]
                + Self.settings, in: directory)
        #expect(cv.status == 0, "\(cv.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(cv.stdout.utf8)) as? [String: Any])
        let scores = try #require(object["scores"] as? [String: [String: Any]])
        let accuracies = try #require(scores["accuracy"]?["folds"] as? [Double])
        #expect(accuracies.count == 6)
        #expect(abs((scores["accuracy"]?["mean"] as? Double ?? 0) - accuracies.reduce(0, +) / 6) < 1e-12)

        // Each row in one fold per repeat; each fold ten of each class; the repeats differ.
        let lines = try String(contentsOfFile: directory + "/folds.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst().map { $0.split(separator: ",").map { Int($0)! } }
        #expect(lines.count == 180)
        for r in 0..<2 {
            let fold = lines.filter { $0[1] == r }.sorted { $0[0] < $1[0] }.map { $0[2] }
            #expect(fold.count == 90)
            for k in 0..<3 {
                for c in 0..<3 { #expect((0..<90).filter { fold[$0] == k && $0 % 3 == c }.count == 10) }
            }
        }
        #expect(lines.filter { $0[1] == 0 }.map { $0[2] } != lines.filter { $0[1] == 1 }.map { $0[2] })

        // Fold 2 of the first repeat as files: train gives the same test accuracy.
        let rows = try String(contentsOfFile: directory + "/three.csv", encoding: .utf8).split(separator: "\n")
        let fold = lines.filter { $0[1] == 0 }.sorted { $0[0] < $1[0] }.map { $0[2] }
        for (name, keep) in [("part-train.csv", { (k: Int) in k != 1 }), ("part-test.csv", { (k: Int) in k == 1 })] {
            let text =
                ([String(rows[0])] + (0..<90).filter { keep(fold[$0]) }.map { String(rows[$0 + 1]) })
                .joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let train = try CommandRunner.run(
            ["train", "--train", "part-train.csv", "--test", "part-test.csv", "--quiet"] + Self.settings, in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let test = train.stdout.split(separator: "\n").first { $0.hasPrefix("Test accuracy: ") }.map {
            Double($0.dropFirst(15))!
        }
        #expect(test == accuracies[1], "fold 2: cv \(accuracies[1]), train \(String(describing: test))")
    }

    @Test(
        "refused in one line: too many folds for the smallest class, one fold",
        arguments: [
            (
                ["cv", "--train", "three.csv", "--folds", "31"],
                "--folds 31: the smallest class has 30 example(s); each fold needs one of each class"
            ),
            (["cv", "--train", "three.csv", "--folds", "1"], "--folds 1: at least 2"),
            (["cv", "--train", "three.csv", "--repeats", "0"], "--repeats 0: between 1 and 100"),
        ])
    func refusals(arguments: [String], message: String) throws {
        let directory = temporaryDirectory()
        try Self.write(to: directory)
        _ = try BadInputTests.expectRefused(
            arguments, in: directory, status: 2, .between(prefix: "dnn: ", suffix: message))
    }
}
