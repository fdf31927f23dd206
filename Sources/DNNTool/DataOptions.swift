import ArgumentParser
import DNN
import Foundation

/// Where the examples come from, shared by the commands that read data.
struct DataOptions: ParsableArguments {
    @Option(
        name: .customLong("label-column"),
        help: ArgumentHelp(
            "The CSV column that holds the labels or the target (class names or numbers, or values).",
            discussion:
                "Default: label when training; the model's own target columns when predicting or evaluating."
        ))
    var labelColumn: String?

    @Option(
        help: ArgumentHelp(
            "The CSV target columns, comma-separated (instead of --label-column).",
            discussion:
                "Several columns are a multi-output regression (numbers) or a multi-label task (every cell 0 or 1): --target y1,y2."
        ))
    var target: String?

    @Option(
        help: ArgumentHelp(
            "What the targets are: classification, regression or multilabel.",
            discussion:
                "Without it: text or few whole numbers are classes, numbers with a fraction are regression targets, several 0/1 columns are labels; many whole numbers (the diabetes data's 25…346) are refused until --task says which."
        ))
    var task: TaskKind?

    @Option(
        name: .customLong("ignore-column"),
        help:
            "A CSV column that is neither a feature nor the label (repeat for more; \"\" for one with an empty header)."
    )
    var ignoreColumns: [String] = []

    @Option(
        name: .customLong("hdf5-set"),
        help: ArgumentHelp(
            "For an HDF5 file that holds several sets, the one to read (test_set for test_set_x).",
            discussion:
                "Without it such a file is refused, except by train, which reads train_set from --train and --validation and test_set from --test."
        ))
    var hdf5Set: String?

    @Option(help: "A CSV column of identifiers: not a feature; predict prints it beside each prediction.")
    var idColumn: String?

    @OptionGroup(title: "Tabular data") var table: TableOptions

    func validate() throws {
        if let target {
            let names = target.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !names.contains("") else { throw ValidationError("--target \(target): a column name is empty") }
        }
    }

    /// Labelled data (training, evaluation); `role` is the set `train` reads from a file of several.
    /// With `targets` (a model's, the training data's), its targets are read as those: their kind,
    /// and their columns unless --target or --label-column names others.
    func load(_ path: String, role: String? = nil, like targets: KnownTargets? = nil, weight: String? = nil) throws
        -> Dataset
    {
        try load(path, role: role, like: targets, weight: weight, shard: nil)
    }

    /// The data in `path`; with `shard`, only the examples `shard(m)` of its m; `weight` names a
    /// column of the examples' weights.
    func load(
        _ path: String, role: String? = nil, like targets: KnownTargets? = nil, weight: String? = nil,
        shard: ((Int) -> Range<Int>)?
    ) throws -> Dataset {
        try Dataset.load(
            path, columns: csvColumns(like: targets, weight: weight), hdf5Set: try set(of: path, role),
            pipeline: targets?.pipeline, shard: shard)
    }

    /// Data whose targets, if any, are not used; --id-column names a column to carry through.
    func loadUnlabelled(_ path: String, like targets: KnownTargets) throws -> Dataset {
        var columns = columns(like: targets)
        columns.labelsOptional = true
        return try Dataset.load(path, columns: columns, hdf5Set: hdf5Set, pipeline: targets.pipeline)
    }

    /// The CSV columns' roles the flags give, for data of `targets` when they are known; with
    /// `weight`, the column of examples' weights.
    func csvColumns(like known: KnownTargets?, weight: String? = nil) -> CSVColumns {
        var columns = columns(like: known)
        columns.weight = weight
        return columns
    }

    private func columns(like known: KnownTargets?) -> CSVColumns {
        var targets = target.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if targets == nil && labelColumn == nil, let known {
            targets = known.columns ?? (known.task.kind == .classification ? nil : known.task.names)
        }
        return CSVColumns(
            label: labelColumn ?? "label", targets: targets, task: self.task ?? known?.task.kind, id: idColumn,
            ignored: ignoreColumns, reading: table.settings)
    }

    /// --hdf5-set, or `role` for an HDF5 file that holds several sets, `role` among them.
    private func set(of path: String, _ role: String?) throws -> String? {
        guard hdf5Set == nil, let role, ["h5", "hdf5"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
        else { return hdf5Set }
        let sets = try Dataset.hdf5Sets(path)
        return sets.count > 1 && sets.contains(role) ? role : nil
    }
}

/// Targets already known (a model's, or the training data's): their task, the columns they were
/// read from, and the features' pipeline, if any.
struct KnownTargets {
    let task: LearningTask
    let columns: [String]?
    /// How the features are read from the raw columns, when the model or data learnt it.
    let pipeline: TabularPipeline?

    init(_ model: DeepNeuralNetwork) {
        (task, columns, pipeline) = (model.task, model.targetColumns, model.preprocessing)
    }
    init(_ data: Dataset) { (task, columns, pipeline) = (data.task, data.targetColumns, data.pipeline) }
}
