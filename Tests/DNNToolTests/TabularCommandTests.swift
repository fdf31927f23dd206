import DNN
import Foundation
import Testing

/// Real data as pip packages ship it, through `dnn` with no preprocessing by hand: penguins (NAs
/// and strings), titanic (strings only), iris (pandas' index column); dialects; and every bad
/// input of a table one line.
@Suite("Tabular data as it comes, through the dnn command")
struct TabularCommandTests {
    static func raw(_ name: String) -> String { SharedData.path("raw/\(name)") }
    static let hasRawData = FileManager.default.fileExists(atPath: raw("penguins.csv"))

    @Test(
        "penguins: strings and missing cells trained on as they come; class names predicted; the preprocessing shown",
        .enabled(if: hasRawData, "../shared/data/raw is missing; skipped"))
    func penguins() throws {
        let directory = temporaryDirectory()
        let train = try CommandRunner.run(
            [
                "train", "--train", Self.raw("penguins.csv"), "--label-column", "species", "--standardize", "--layers",
                "16", "--optimizer", "adam", "--learning-rate", "0.01", "--iterations", "300", "--output", "p.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let accuracy = Double(
            train.stdout.split(separator: "\n").first { $0.hasPrefix("Train accuracy: ") }!.dropFirst(16))!
        #expect(accuracy > 0.95, "\(accuracy)")
        let info = try CommandRunner.run(["info", "--model", "p.json"], in: directory)
        for text in [
            "task: classification, 3 classes: 0 = Adelie, 1 = Chinstrap, 2 = Gentoo", "target columns: species",
            "island: categorical (3: Biscoe, Dream, Torgersen), missing → Biscoe",
            "bill_length_mm: numeric, missing → 44.45",
            "sex: categorical (2: female, male), missing → male",
        ] {
            #expect(info.stdout.contains(text), "\(text)\n\(info.stdout)")
        }
        // The file itself, target column and all, predicted by name: species names, no flags again.
        let predict = try CommandRunner.run(
            ["predict", "--model", "p.json", "--data", Self.raw("penguins.csv")], in: directory)
        #expect(predict.status == 0, "\(predict.stderr)")
        let rows = predict.stdout.split(separator: "\n")
        #expect(rows[0] == "example,label,class,probability Adelie,probability Chinstrap,probability Gentoo")
        #expect(
            rows.count == 345
                && rows.dropFirst().allSatisfy {
                    ["Adelie", "Chinstrap", "Gentoo"].contains($0.split(separator: ",")[2])
                })
        let evaluate = try CommandRunner.run(
            ["evaluate", "--model", "p.json", "--data", Self.raw("penguins.csv")], in: directory)
        #expect(evaluate.status == 0 && evaluate.stdout.contains("Gentoo"), "\(evaluate.stderr)")
    }

    @Test(
        "titanic's strings only, and iris's pandas index left out with a note",
        .enabled(if: hasRawData, "../shared/data/raw is missing; skipped"))
    func titanicAndIris() throws {
        let directory = temporaryDirectory()
        let titanic = try CommandRunner.run(
            [
                "train", "--train", Self.raw("titanic.csv"), "--label-column", "survived", "--layers", "8",
                "--iterations", "200",
                "--learning-rate", "0.1", "--output", "t.json",
            ], in: directory)
        #expect(titanic.status == 0, "\(titanic.stderr)")
        let model = try DeepNeuralNetwork(contentsOf: directory + "/t.json")
        #expect(model.classNames == ["no", "yes"])
        #expect(
            model.featureNames == [
                "class=1st class", "class=2nd class", "class=3rd class", "age=adults", "age=child", "sex=man",
                "sex=women",
            ])
        let iris = try CommandRunner.run(
            [
                "train", "--train", Self.raw("iris_pandas_index.csv"), "--label-column", "target", "--iterations", "20",
                "--output", "i.json",
            ], in: directory)
        #expect(iris.status == 0, "\(iris.stderr)")
        #expect(
            iris.stderr.contains(
                "dnn: note: \(Self.raw("iris_pandas_index.csv")): column 1 (no name) left out: pandas' index of the rows"
            ))
        #expect(try DeepNeuralNetwork(contentsOf: directory + "/i.json").layerSizes.first == 4)
    }

    @Test(
        "a tabular model through .npz and back predicts raw rows as before: its encoders travel with it",
        .enabled(if: hasRawData, "../shared/data/raw is missing; skipped"))
    func npzRoundTrip() throws {
        let directory = temporaryDirectory()
        let train = try CommandRunner.run(
            [
                "train", "--train", Self.raw("penguins.csv"), "--label-column", "species", "--standardize",
                "--missing-indicator",
                "--layers", "8", "--iterations", "50", "--output", "p.json",
            ], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        for arguments in [
            ["export", "--model", "p.json", "--format", "npz", "--output", "p.npz"],
            ["import", "--format", "npz", "--input", "p.npz", "--output", "back.json"],
        ] {
            let result = try CommandRunner.run(arguments, in: directory)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let original = try DeepNeuralNetwork(contentsOf: directory + "/p.json")
        let back = try DeepNeuralNetwork(contentsOf: directory + "/back.json")
        #expect(back.preprocessing == original.preprocessing && back.featureNames == original.featureNames)
        let predictions = try ["p.json", "back.json"].map {
            try CommandRunner.run(["predict", "--model", $0, "--data", Self.raw("penguins.csv")], in: directory).stdout
        }
        #expect(predictions[0] == predictions[1] && predictions[0].contains("Gentoo"))
    }

    @Test("dialects: semicolons and decimal commas, a TSV file, a gzip-compressed CSV; the same model from each")
    func dialects() throws {
        let directory = temporaryDirectory()
        var rows = [(Double, Double, String)]()
        var rng = NumPyRandom(seed: 8)
        for _ in 0..<60 {
            let (a, b) = (Double(Int(rng.uniform() * 1000)) / 100, Double(Int(rng.uniform() * 1000)) / 100)
            rows.append((a, b, a + 0.5 * b > 7 ? "high" : "low"))
        }
        let csv = "a,b,label\n" + rows.map { "\($0.0),\($0.1),\($0.2)" }.joined(separator: "\n") + "\n"
        let european =
            "a;b;label\n"
            + rows.map { "\($0.0);\($0.1);\($0.2)".replacingOccurrences(of: ".", with: ",") }
            .joined(separator: "\n") + "\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory + "/plain.csv"))
        try Data(csv.replacingOccurrences(of: ",", with: "\t").utf8).write(
            to: URL(fileURLWithPath: directory + "/tabs.tsv"))
        try Data(european.utf8).write(to: URL(fileURLWithPath: directory + "/european.csv"))
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory + "/zipped.csv"))
        #expect(try CommandRunnerLite.gzip(directory + "/zipped.csv") == 0)
        var models = [Parameters]()
        for (file, extra) in [
            ("plain.csv", []), ("tabs.tsv", []), ("european.csv", ["--decimal", ","]), ("zipped.csv.gz", []),
        ] {
            let result = try CommandRunner.run(
                ["train", "--train", file, "--layers", "3", "--iterations", "50", "--output", "m.json"] + extra,
                in: directory)
            #expect(result.status == 0, "\(file): \(result.stderr)")
            let model = try DeepNeuralNetwork(contentsOf: directory + "/m.json")
            #expect(model.featureNames == ["a", "b"] && model.classNames == ["high", "low"])
            models.append(model.parameters)
        }
        #expect(models.allSatisfy { $0 == models[0] }, "the same parameters from every dialect")
    }

    @Test(
        "bad tables: one line naming the file, line, column and value; exit 2 for usage, 1 otherwise; nothing written",
        arguments: [
            (
                ["train", "--train", "t.csv", "--delimiter", ";"], 1,
                "dnn: t.csv: the delimiter ';' gives one column, but the header holds ','; pass --delimiter ,"
            ),
            (
                ["train", "--train", "many.csv", "--label-column", "y"], 1,
                "dnn: many.csv: column 'code' holds 150 categories, more than 100; declare it an identifier (--id-column), leave it out (--ignore-column) or raise --max-categories"
            ),
            (
                ["predict", "--model", "m.json", "--data", "words.csv"], 1,
                "dnn: words.csv:3: column 'x': 'seven' is not a number (the model reads this column as numbers)"
            ),
            (
                ["train", "--train", "t.csv", "--missing", "error"], 1,
                "dnn: t.csv:3: column 'x': a missing value (--missing error refuses them; without it they are imputed)"
            ),
            (
                ["train", "--train", "gap.csv"], 1,
                "dnn: gap.csv:3: column 'label': no target (a missing value); --drop-missing-target leaves such rows out"
            ),
            (
                ["train", "--train", "t.csv", "--delimiter", "ab"], 2,
                "--delimiter ab: one character (, ; | or tab), not a quote or line break"
            ),
            (["train", "--train", "t.csv", "--decimal", ";"], 2, "--decimal ;: . or ,"),
            (
                ["train", "--train", "t.csv", "--categorical", "nope"], 1,
                "dnn: t.csv: no column named 'nope' to read as categories"
            ),
        ])
    func badTables(arguments: [String], status: Int32, message: String) throws {
        let directory = temporaryDirectory()
        var many = "code,y\n"
        for k in 0..<300 { many += "c\(k % 150),\(k % 2)\n" }
        for (name, text) in [
            ("t.csv", "x,colour,label\n1,red,0\n,blue,1\n3,red,0\n"),
            ("words.csv", "x,colour\n1,red\nseven,blue\n"),
            ("gap.csv", "x,label\n1,0\n2,\n3,1\n"),
            ("many.csv", many),
        ] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let train = try CommandRunner.run(
            ["train", "--train", "t.csv", "--iterations", "2", "--output", "m.json"], in: directory)
        #expect(train.status == 0, "\(train.stderr)")
        let output = arguments.first == "train" ? ["--output", "out.json"] : []
        _ = try BadInputTests.expectRefused(
            arguments + output, in: directory, status: status,
            status == 2 ? .between(prefix: "dnn: ", suffix: message) : .exactly(message))
    }

    @Test("--drop-missing-target leaves such rows out, and says how many")
    func dropMissingTarget() throws {
        let directory = temporaryDirectory()
        try Data("x,label\n1,0\n2,\n3,1\n4,NA\n".utf8).write(to: URL(fileURLWithPath: directory + "/gap.csv"))
        let result = try CommandRunner.run(
            ["train", "--train", "gap.csv", "--drop-missing-target", "--iterations", "2"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("dnn: note: gap.csv: 2 row(s) without a target left out (--drop-missing-target)"))
        #expect(result.stdout.contains("on 2 examples"))
    }
}

enum CommandRunnerLite {
    /// gzip's exit status, compressing `path` into `path.gz`.
    static func gzip(_ path: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", path]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
