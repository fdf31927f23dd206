import Foundation

/// Examples and their targets, one example per column, as the course lays them out.
///
/// Shapes: X is n_x×m (features × examples); Y is 1×m with class indices 0…K−1 for
/// classification (K = 2 for the course's cat pictures), k×m values for regression, L×m 0/1
/// indicators for multi-label (`task` says which).
public struct Dataset: Sendable {
    /// The features as loaded: Double values, or the course's bytes (see `FeatureMatrix`).
    public var features: FeatureMatrix
    /// The features as an n_x×m matrix of Double, one column per example. For bytes this forms a
    /// new matrix on every read: code that only trains or predicts reads `features`.
    public var X: Matrix {
        get { features.matrix }
        set { features = FeatureMatrix(newValue) }
    }
    /// The targets: class indices 0…K−1 (one row), or a row per regression target or label.
    public var Y: Matrix
    /// What the targets are, with their names.
    public var task: LearningTask
    /// The names of classes 0…K−1 (the course's `classes`: non-cat, cat); empty for other tasks.
    /// Setting them makes the data a classification's.
    public var classNames: [String] {
        get { task.classNames }
        set { task = .classification(classes: newValue) }
    }
    /// For image data, (height, width, channels) of each example before it was flattened row-major.
    public var imageShape: [Int]?
    /// For tabular data, the name of each feature (row of X), as the file's header gives them.
    public var featureNames: [String]?
    /// For tabular data, the columns the targets were read from (the label column, or each
    /// target's); nil for data read without them.
    public var targetColumns: [String]?
    /// The identifier of each example, from the column `CSVColumns.id` names, if any.
    public var ids: [String]?
    /// Each example's weight in training, from the column `CSVColumns.weight` names, if any.
    public var sampleWeights: [Double]?
    /// False for data read without labels (for prediction): Y is then all zeros.
    public var hasLabels = true
    /// For tabular data, how its columns became the features (fitted on this data, or given).
    public var pipeline: TabularPipeline?
    /// What the loader left out and why (an identifier column, pandas' index, rows without a
    /// target), for the command to say.
    public var notes = [String]()
    /// Per column, the rows whose category was not seen in training (they got all zeros there).
    public var unknownCategories = [(column: String, rows: Int)]()

    /// The most classes a data set may have when its labels alone say how many (CSV, and HDF5
    /// without `list_classes`): each class has a name and a row of the confusion matrix.
    public static let maximumClasses = 1_000_000

    /// Checks the data and keeps it: labels must be class indices 0…K−1 for the K class names
    /// (at least 2), every value finite.
    public init(X: Matrix, Y: Matrix, classNames: [String] = ["0", "1"], imageShape: [Int]? = nil, source: String)
        throws
    {
        guard classNames.count >= 2 else {
            throw DNNError("\(source): \(classNames.count) class names; a classifier needs at least 2")
        }
        try self.init(
            features: FeatureMatrix(X), Y: Y, task: .classification(classes: classNames), imageShape: imageShape,
            source: source)
    }

    /// Checks the data and keeps it: Y must hold `task`'s targets (`LearningTask.validate`), every
    /// value finite. A classification may name a single class (test data of one class).
    public init(X: Matrix, Y: Matrix, task: LearningTask, source: String) throws {
        try self.init(features: FeatureMatrix(X), Y: Y, task: task, imageShape: nil, source: source)
    }

    /// The same checks for features in any form.
    init(features: FeatureMatrix, Y: Matrix, task: LearningTask, imageShape: [Int]?, source: String) throws {
        let X = (cols: features.examples, rows: features.features)
        guard !task.names.isEmpty else { throw DNNError("\(source): no class or target names") }
        if let twice = DeepNeuralNetwork.repeated(task.names) {
            throw DNNError(
                "\(source): the \(task.kind == .classification ? "class" : "target") name '\(elided(twice))' is given twice"
            )
        }
        try task.validate(targets: Y, examples: X.cols, source: source)
        // Bytes are always finite.
        if case .values(let values) = features.storage, let k = values.scalars.firstIndex(where: { !$0.isFinite }) {
            throw DNNError(
                "\(source): feature \(k / X.cols) of example \(k % X.cols) is \(values.scalars[k]); values must be finite"
            )
        }
        self.features = features
        self.Y = Y
        self.task = task
        self.imageShape = imageShape
    }

    /// n_x, the number of features of each example.
    public var featureCount: Int { features.features }
    /// m, the number of examples.
    public var exampleCount: Int { features.examples }
    /// K, the number of classes.
    public var classCount: Int { classNames.count }

    /// Whether the class names are only the class numbers ("0", "1", …), as data without names of
    /// its own (CSV labels, HDF5 without `list_classes`) has them.
    public var hasNumberedClasses: Bool { classNames == (0..<classCount).map(String.init) }

    /// The classes that occur in the labels, each once, in order (classification).
    public var classesPresent: [Int] { Set(Y.scalars.map { Int($0) }).sorted() }

    /// Loads a data file by its extension: `.h5`/`.hdf5` (the course's format) or `.csv`.
    public static func load(_ path: String, labelColumn: String) throws -> Dataset {
        try load(path, columns: CSVColumns(label: labelColumn))
    }

    /// Loads a data file by its extension: `.h5`/`.hdf5` (the course's format) or `.csv`.
    ///
    /// - Parameters:
    ///   - path: the file; its extension says its format.
    ///   - columns: the roles of a CSV file's columns (labels, identifiers, ignored) and how its
    ///     cells become features.
    ///   - hdf5Set: for an HDF5 file holding several sets, the one to read (`test_set`).
    ///   - pipeline: for tabular data to read in a model's terms (or the training data's), its
    ///     encoders; nil to fit them on this file.
    ///   - shard: for a process of distributed training, the examples to keep of the file's m
    ///     (`shard(m)`); the classes stay those of the whole file. HDF5 reads only those
    ///     examples' pixels; CSV parses only those rows' numbers.
    public static func load(
        _ path: String, columns: CSVColumns = CSVColumns(), hdf5Set: String? = nil, pipeline: TabularPipeline? = nil,
        shard: ((Int) -> Range<Int>)? = nil
    ) throws -> Dataset {
        try requireReadableFile(path)
        var url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "gz" { url.deletePathExtension() }
        switch url.pathExtension.lowercased() {
        case "h5",
            "hdf5" where !path.lowercased().hasSuffix(".gz"):
            return try loadHDF5(path, set: hdf5Set, shard: shard)
        case _ where isTable(path): return try loadCSV(path, columns: columns, pipeline: pipeline, shard: shard)
        default:
            throw DNNError(
                "\(path): unknown data format; expected an HDF5 file (.h5) or delimited text (.csv, .tsv, .txt, or .gz of one)"
            )
        }
    }

    /// Whether `path` names delimited text (.csv, .tsv, .txt, or a .gz of one), read as a table.
    public static func isTable(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path)
        if url.pathExtension.lowercased() == "gz" { url.deletePathExtension() }
        return ["csv", "tsv", "txt"].contains(url.pathExtension.lowercased())
    }
}
