import ArgumentParser
import DNN
import Foundation

struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Cross-validate a model: train on k−1 folds, score on the one left out, k times.",
        discussion: """
            Takes train's options (the network, the passes, the optimiser, …). The folds are \
            stratified by class for classification and seeded (--split-seed): each repeat draws \
            them again from the next seed. A CSV file's encoders (imputation, categories) are \
            fitted on each fold's training rows alone. Prints every fold's scores (a classifier's \
            accuracy, macro F1 and log loss; a regression's R², RMSE and MAE; labels' subset \
            accuracy, Hamming loss and macro F1) and their mean ± standard deviation.

              dnn cv --train penguins.csv --label-column species --folds 5 --standardize
              dnn cv --train data.csv --folds 10 --repeats 3 --json --folds-output folds.csv
            """)

    @Option(help: "The data (.h5 or .csv). Default: the built-in flower data set.")
    var train: String?

    @Option(help: "The number of folds k (at least 2, at most the smallest class's examples).")
    var folds = 5

    @Option(help: "How many times to draw k folds anew (from --split-seed, then the next seeds).")
    var repeats = 1

    @Option(help: "The seed of the first repeat's folds.")
    var splitSeed: UInt32 = 0

    @Option(
        help: ArgumentHelp(
            "Cross-validate on about this many examples, drawn from --split-seed (each class in proportion).",
            discussion: "What a successive-halving search (dnn search --halving) gives its early rounds."))
    var examples: Int?

    @Option(
        help: ArgumentHelp(
            "Score only the first N folds of each repeat.",
            discussion: "--folds 5 --only-folds 1 is one validation split: train on 80%, score the other 20%."))
    var onlyFolds: Int?

    @Option(help: "Write each example's fold per repeat to this CSV file (row, repeat, fold; fold -1: not used).")
    var foldsOutput: String?

    @Flag(help: "Print the scores as one JSON object.")
    var json = false

    @OptionGroup var fit: FitOptions

    @OptionGroup var data: DataOptions

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds \(folds): at least 2") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats \(repeats): between 1 and 100") }
        if let examples, examples < 2 * folds {
            throw ValidationError("--examples \(examples): at least twice --folds (\(2 * folds))")
        }
        if let onlyFolds, !(1...folds).contains(onlyFolds) {
            throw ValidationError("--only-folds \(onlyFolds): between 1 and --folds (\(folds))")
        }
    }

    func run() throws {
        if let foldsOutput { try requireWritableOutput(foldsOutput, inputs: [train].compactMap { $0 }) }
        let source = train ?? "flower data"
        let folding = try Folding(train, data: data, weight: fit.weighting.sampleWeightColumn, source: source)
        let whole = folding.whole
        let rows = examples.map { Folds.subsample(whole, count: $0, minimumPerClass: folds, seed: splitSeed) }
        let used = try rows.map { try whole.subset($0) } ?? whole
        try Self.requireFolds(folds, in: used)
        let console = Console(quiet: json)
        let (preset, presetReason) = fit.chosenPreset(data: train)
        _ = try fit.weighting.weights(for: used)  // a class weight naming no class, a bad weight column
        _ = try fit.freshModel(for: used, preset: preset)  // a network that does not fit the data
        console.report(whole, from: source)
        if let presetReason, !json {
            console.note("preset \(preset) for \(presetReason): \(preset.summary); --preset course for the course's")
        }
        if let small = TrainingWarnings.smallClasses(used, source: source) { console.warning(small) }
        var results = [FoldResult]()
        var assignments = [[Int]]()
        var clipped = false
        for repeatIndex in 0..<repeats {
            var fold = Folds.of(used, k: folds, seed: splitSeed &+ UInt32(repeatIndex))
            if let rows {
                var expanded = [Int](repeating: -1, count: whole.exampleCount)
                for (place, row) in rows.enumerated() { expanded[row] = fold[place] }
                fold = expanded
            }
            assignments.append(fold)
            for k in 0..<(onlyFolds ?? folds) {
                var (trainSet, testSet) = try folding.split(fold, k)
                // As train does: the preset's validation split of the fold's training rows, early
                // stopping on it.
                var validation: Validation?
                if let fraction = preset.validationFraction(examples: trainSet.exampleCount) {
                    let held: Dataset
                    (trainSet, held) = try trainSet.split(validationFraction: fraction)
                    validation = Validation(
                        X: held.X, Y: held.Y, patience: preset.patience,
                        weights: try fit.weighting.weights(for: held, classesFrom: trainSet))
                }
                var model = try fit.freshModel(for: trainSet, preset: preset)
                var (options, _) = try fit.settings(
                    resuming: nil, dropoutSeed: model.initialization?.seed ?? 1, preset: preset,
                    examples: trainSet.exampleCount)
                // A fold's training rows are fewer than the data's: a mini-batch larger than them
                // becomes the whole fold (scikit-learn clips batch_size alike), rather than failing.
                if let size = options.miniBatchSize, size > trainSet.exampleCount {
                    options.miniBatchSize = trainSet.exampleCount
                    if !clipped {
                        console.note(
                            "--mini-batch-size \(size): more than a fold's \(trainSet.exampleCount) training examples; clipped"
                        )
                        clipped = true
                    }
                }
                try model.train(
                    trainSet.features, trainSet.Y, weights: try fit.weighting.weights(for: trainSet), options: options,
                    validation: validation)
                let scores = try ModelEvaluation(model: model, data: testSet, source: source).scores
                results.append(FoldResult(repeat: repeatIndex, fold: k, examples: testSet.exampleCount, scores: scores))
                console.progressLine(
                    "repeat \(repeatIndex + 1), fold \(k + 1) of \(folds): "
                        + scores.map { "\($0.name) \($0.value.map { String(format: "%.4f", $0) } ?? "-")" }
                        .joined(separator: ", "))
            }
        }
        if let foldsOutput { try writeFolds(assignments.map(folding.inFileRows), to: foldsOutput) }
        let summary = CrossValidationSummary(
            results: results, folds: folds, repeats: repeats, seed: splitSeed, examples: used.exampleCount)
        if json {
            FileHandle.standardOutput.write(try summary.json() + Data("\n".utf8))
        } else {
            print("")
            printTable(summary.table)
        }
    }

    /// Refuses `folds` when `data` has fewer examples, or (classification) a class has fewer.
    static func requireFolds(_ folds: Int, in data: Dataset) throws {
        if data.task.kind == .classification {
            let smallest = data.classesPresent.map { c in data.Y.scalars.filter { Int($0) == c }.count }.min() ?? 0
            guard folds <= smallest else {
                throw ValidationError(
                    "--folds \(folds): the smallest class has \(smallest) example(s); each fold needs one of each class"
                )
            }
        }
        guard folds <= data.exampleCount else {
            throw ValidationError("--folds \(folds): more than the \(data.exampleCount) examples")
        }
    }

    /// Every example's fold per repeat, as CSV: row (from 0, the file's order), repeat, fold.
    private func writeFolds(_ assignments: [[Int]], to path: String) throws {
        var text = "row,repeat,fold\n"
        for (r, fold) in assignments.enumerated() {
            for (row, k) in fold.enumerated() { text += "\(row),\(r),\(k)\n" }
        }
        try writeFileAtomically(Data(text.utf8), to: path)
    }
}

/// The data of a cross-validation and its folds' parts: a CSV file's table is kept, so that each
/// fold's training rows fit their own encoders and the held-out rows are read through them;
/// other data is split as loaded.
struct Folding {
    let whole: Dataset
    /// The file rows the examples are, where --drop-missing-target left rows out (else row i is
    /// example i).
    private(set) var fileRows: [Int]? = nil
    /// The rows of the file, those left out included.
    private(set) var fileRowCount = 0
    private let table: Table?
    private let columns: CSVColumns

    init(_ path: String?, data: DataOptions, weight: String?, source: String) throws {
        columns = data.csvColumns(like: nil, weight: weight)
        if let path, Dataset.isTable(path) {
            let settings = columns.reading
            var table = try Table.read(path, delimiter: settings.delimiter, decimal: settings.decimal)
            // The rows without a target are left out here, once: the folds then number the
            // examples as the table's rows, which each fold selects from.
            var dropped = 0
            if settings.dropMissingTarget {
                let targets = columns.targetColumns.compactMap { table.names.firstIndex(of: $0) }
                let kept = table.rows(withValuesIn: targets)
                if kept.count < table.rowCount {
                    guard !kept.isEmpty else { throw DNNError("\(path): every row's target is missing") }
                    (dropped, fileRows, fileRowCount) = (table.rowCount - kept.count, kept, table.rowCount)
                    table = table.selecting(kept)
                }
            }
            var whole = try Dataset(table: table, columns: columns)
            if dropped > 0 {
                whole.notes.append("\(path): \(dropped) row(s) without a target left out (--drop-missing-target)")
            }
            self.whole = whole
            self.table = table
        } else {
            whole = try path.map { try data.load($0, role: "train_set") } ?? Dataset.flower()
            table = nil
        }
    }

    /// `fold` (one entry per example) as one entry per row of the file, −1 for rows left out.
    func inFileRows(_ fold: [Int]) -> [Int] {
        guard let fileRows else { return fold }
        var expanded = [Int](repeating: -1, count: fileRowCount)
        for (example, row) in fileRows.enumerated() { expanded[row] = fold[example] }
        return expanded
    }

    /// The training part (every fold but `k`) and the held-out part (fold `k`) of `fold`; rows of
    /// fold −1 are in neither.
    func split(_ fold: [Int], _ k: Int) throws -> (Dataset, Dataset) {
        let trainRows = fold.indices.filter { fold[$0] >= 0 && fold[$0] != k },
            testRows = fold.indices.filter { fold[$0] == k }
        guard let table else {
            return (try whole.subset(trainRows), try whole.subset(testRows))
        }
        let trainSet = try Dataset(table: table.selecting(trainRows), columns: columns)
        let testSet = try Dataset(table: table.selecting(testRows), columns: columns, pipeline: trainSet.pipeline)
            .relabeled(for: trainSet.task, of: "the training folds", source: "fold \(k + 1)")
        return (trainSet, testSet)
    }
}

/// One fold's scores.
struct FoldResult {
    let `repeat`: Int
    let fold: Int
    let examples: Int
    let scores: [(name: String, value: Double?)]
}

/// Every fold's scores, with each score's mean and standard deviation over the folds (numpy's
/// `std`, ddof 0, as `cross_val_score(...).std()` reports).
struct CrossValidationSummary {
    let results: [FoldResult]
    let folds: Int, repeats: Int
    let seed: UInt32
    /// The examples the folds were drawn from (fewer than the data's with --examples).
    let examples: Int

    var names: [String] { results.first?.scores.map(\.name) ?? [] }

    /// The mean and standard deviation of score `index` over the folds where it is defined.
    func statistics(_ index: Int) -> (mean: Double, std: Double)? {
        let values = results.compactMap { $0.scores[index].value }
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    /// The table: a row per fold, then the means ± deviations.
    var table: [[String]] {
        func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
        var rows = [["repeat", "fold", "examples"] + names]
        for result in results {
            rows.append(
                ["\(result.repeat + 1)", "\(result.fold + 1)", "\(result.examples)"]
                    + result.scores.map { format($0.value) })
        }
        rows.append(
            ["mean ± sd", "", ""]
                + names.indices.map { i in statistics(i).map { String(format: "%.4f ± %.4f", $0.mean, $0.std) } ?? "-" }
        )
        return rows
    }

    /// The summary as one JSON object: the settings, each score's mean, deviation and fold values.
    func json() throws -> Data {
        var scores = [String: Any]()
        for (i, name) in names.enumerated() {
            let stats = statistics(i)
            scores[name] = [
                "mean": jsonNumber(stats?.mean), "std": jsonNumber(stats?.std),
                "folds": results.map { jsonNumber($0.scores[i].value) },
            ]
        }
        let object: [String: Any] = [
            "folds": folds, "repeats": repeats, "split_seed": Int(seed), "examples": examples, "scores": scores,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
