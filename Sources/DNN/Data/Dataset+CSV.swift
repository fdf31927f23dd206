import Foundation

/// The roles of a CSV file's columns: which hold the targets (a label, or several targets), which
/// an identifier to carry through to predictions, and which to leave out; every other column is
/// a feature.
public struct CSVColumns: Sendable, Equatable {
    /// The column of labels (class names or numbers, or a regression target), when `targets` is nil.
    public var label: String
    /// The target columns, in order (several: multi-output regression or multi-label); nil for `label` alone.
    public var targets: [String]?
    /// What the targets are (`--task`); nil to infer it from them (see `TargetColumns`).
    public var task: TaskKind?
    /// Whether the target columns may be absent (data to predict); present, they are left out
    /// unread.
    public var labelsOptional: Bool
    /// A column of identifiers, kept as text.
    public var id: String?
    /// Columns that are neither features nor labels (an index column, say); "" names a column
    /// whose header is empty.
    public var ignored: [String]
    /// How the cells become features: the dialect, categories, dates, missing values.
    public var reading: TableSettings
    /// A column of each example's weight in training (numbers, 0 or more): not a feature.
    public var weight: String?

    /// The roles by name; by default labels in a required column `label`, no identifier, nothing ignored.
    public init(
        label: String = "label", targets: [String]? = nil, task: TaskKind? = nil, labelsOptional: Bool = false,
        id: String? = nil, ignored: [String] = [], reading: TableSettings = TableSettings()
    ) {
        self.label = label
        self.targets = targets
        self.task = task
        self.labelsOptional = labelsOptional
        self.id = id
        self.ignored = ignored
        self.reading = reading
    }

    /// The target columns: `targets`, or the label column alone.
    public var targetColumns: [String] { targets ?? [label] }
}

extension Dataset {
    /// Reads tabular data as it comes: a header row naming the columns, then one example per row,
    /// in any dialect `Table.read` reads (CSV, TSV, gzip, `;` or `|` delimiters, decimal commas).
    ///
    /// The target columns give the task and Y as `TargetColumns` reads them (class names or
    /// numbers, regression values, 0/1 labels); a row whose target is missing is refused, or left
    /// out with `reading.dropMissingTarget`. Every other column but the identifier and ignored
    /// ones is a feature, encoded as its kind asks (`ColumnEncoder`: numbers, booleans, one-hot
    /// categories, expanded dates; missing cells imputed): the encoders are fitted on this file
    /// (`pipeline` of the result), or given (`pipeline`: a model's, or the training data's, for
    /// data read in their terms). Columns that cannot be features are left out with a note in
    /// `notes`: identifiers (every value distinct), pandas' index column, and dates unless
    /// expanded. Errors name the file, the line and the column.
    ///
    /// With `shard`, the whole file is read and fitted, then the examples `shard(m)` kept (a
    /// process of distributed training): the classes and encoders are the whole file's.
    public static func loadCSV(
        _ path: String, columns roles: CSVColumns = CSVColumns(), pipeline given: TabularPipeline? = nil,
        shard: ((Int) -> Range<Int>)? = nil
    ) throws -> Dataset {
        try requireReadableFile(path)
        let table = try Table.read(path, delimiter: roles.reading.delimiter, decimal: roles.reading.decimal)
        return try Dataset(table: table, columns: roles, pipeline: given, shard: shard)
    }

    /// The data of a table read already (see `loadCSV`): its rows, or some of them
    /// (`Table.selecting`, for the folds of a cross-validation, each fitting its own pipeline).
    public init(
        table: Table, columns roles: CSVColumns = CSVColumns(), pipeline given: TabularPipeline? = nil,
        shard: ((Int) -> Range<Int>)? = nil
    ) throws {
        var table = table
        let settings = roles.reading, path = table.source
        let header = table.names
        guard !(header.count == 1 && header[0].isEmpty) else {
            throw DNNError("\(path): empty file; expected a header row")
        }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw DNNError("\(path): two columns are named '\(elided(name))'")
        }
        guard table.rowCount > 0 else { throw DNNError("\(path): a header but no examples") }
        let targetNames = roles.targetColumns
        if let twice = DeepNeuralNetwork.repeated(targetNames) {
            throw DNNError("\(path): the target column '\(elided(twice))' is named twice")
        }
        let targetIndices = targetNames.compactMap { header.firstIndex(of: $0) }
        if let missing = targetNames.first(where: { !header.contains($0) }),
            !roles.labelsOptional || !targetIndices.isEmpty
        {
            throw DNNError(
                "\(path): no column named '\(elided(missing))' in the header (\(elided(header.joined(separator: ", "))))"
            )
        }
        var idIndex: Int?
        if let id = roles.id {
            guard let index = header.firstIndex(of: id) else {
                throw DNNError("\(path): no column named '\(elided(id))' for the identifiers")
            }
            idIndex = index
        }
        for name in roles.ignored where !header.contains(name) {
            throw DNNError("\(path): no column named '\(elided(name))' to ignore")
        }
        // Data to predict may carry its targets: their columns are not features, and not read.
        let hasLabels = !targetIndices.isEmpty && !roles.labelsOptional
        var notes = [String]()
        if hasLabels {
            let (kept, dropped) = try Self.rowsWithTargets(table, targetIndices, drop: settings.dropMissingTarget)
            if dropped > 0 {
                table = table.selecting(kept)
                notes.append("\(path): \(dropped) row(s) without a target left out (--drop-missing-target)")
                guard table.rowCount > 0 else { throw DNNError("\(path): every row's target is missing") }
            }
        }
        let pipeline = try given ?? Self.fittedPipeline(table, roles, notes: &notes)
        var (X, unknown) = try pipeline.transform(table, settings: settings)
        var task = LearningTask.classification(classes: ["0", "1"])
        let m = table.rowCount
        var Y = Matrix(rows: 1, cols: m, scalars: Array(repeating: 0, count: m))
        if hasLabels {
            let cells = targetIndices.map { j in (0..<m).map { table.columns[j].text($0) ?? "" } }
            let (read, values) = try TargetColumns(names: targetNames, cells: cells, lines: table.lines, path: path)
                .read(as: roles.task)
            task = read
            Y = Matrix(rows: task.targetRows, cols: m, scalars: values)
        } else if let kind = roles.task, kind != .classification {
            task = kind == .regression ? .regression(targets: targetNames) : .multilabel(labels: targetNames)
            Y = Matrix(rows: task.targetRows, cols: m, scalars: Array(repeating: 0, count: task.targetRows * m))
        }
        var ids = idIndex.map { j in (0..<m).map { table.columns[j].text($0) ?? "" } }
        var weights = try roles.weight.map { try Self.sampleWeights(table, column: $0) }
        if let shard {
            let kept = shard(m)
            X = X.columns(kept)
            Y = Y.columns(kept)
            ids = ids.map { Array($0[kept]) }
            weights = weights.map { Array($0[kept]) }
            unknown = []
        }
        try self.init(features: FeatureMatrix(X), Y: Y, task: task, imageShape: nil, source: path)
        featureNames = pipeline.outputNames
        targetColumns = hasLabels ? targetNames : nil
        self.ids = ids
        sampleWeights = weights
        self.hasLabels = hasLabels
        self.pipeline = pipeline
        self.notes = notes
        unknownCategories = unknown
    }

    /// The weight column's numbers: each finite and 0 or more (a missing one is refused).
    private static func sampleWeights(_ table: Table, column name: String) throws -> [Double] {
        guard let j = table.names.firstIndex(of: name) else {
            throw DNNError("\(table.source): no column named '\(elided(name))' for the weights", usage: true)
        }
        for row in 0..<table.rowCount {
            let text = table.columns[j].text(row)
            guard let text, let value = TableColumn.number(text), value >= 0, value.isFinite else {
                throw DNNError(
                    "\(table.source):\(table.lines[row]): column '\(elided(name))': weight '\(elided(text ?? ""))' is not "
                        + "a number of 0 or more", usage: true)
            }
        }
        return (0..<table.rowCount).map { TableColumn.number(table.columns[j].text($0)!)! }
    }

    /// The rows whose every target is present, and how many were not; throws at the first row
    /// without one unless `drop`.
    private static func rowsWithTargets(_ table: Table, _ targets: [Int], drop: Bool) throws -> ([Int], Int) {
        let kept = table.rows(withValuesIn: targets)
        // The first row left out: the first place where `kept` skips a row.
        if !drop, let row = (0..<table.rowCount).first(where: { $0 >= kept.count || kept[$0] != $0 }),
            let j = targets.first(where: { table.columns[$0].text(row) == nil })
        {
            throw DNNError(
                "\(table.source):\(table.lines[row]): column '\(elided(table.names[j]))': no target (a missing "
                    + "value); --drop-missing-target leaves such rows out")
        }
        return (kept, table.rowCount - kept.count)
    }

    /// The encoders of every column that is a feature (`Table.roles`), fitted on the table's
    /// rows; a note for each column left out, saying why.
    private static func fittedPipeline(_ table: Table, _ roles: CSVColumns, notes: inout [String]) throws
        -> TabularPipeline
    {
        var features = [(index: Int, kind: ColumnKind)]()
        for (j, role) in try table.roles(roles).enumerated() {
            switch role {
            case .feature(let kind): features.append((j, kind))
            case .leftOut(let reason):
                let name = table.names[j].isEmpty ? "\(j + 1) (no name)" : "'\(elided(table.names[j]))'"
                notes.append("\(table.source): column \(name) left out: \(reason)")
            case .target, .identifier, .ignored: break
            }
        }
        guard !features.isEmpty else { throw DNNError("\(table.source): no feature columns") }
        return try TabularPipeline.fit(table, features: features, settings: roles.reading)
    }
}

/// `text`, or its first and last characters around an ellipsis when it is longer than `limit`
/// (80 for a value quoted in a message, 200 for a whole line), so that an error stays one line
/// whatever a file holds.
public func elided(_ text: String, limit: Int = 80) -> String {
    // Control characters (a line break, a NUL that a terminal would hide) are shown escaped.
    var flat = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": flat += "\\n"
        case "\r": flat += "\\r"
        case "\t": flat += "\\t"
        case _ where scalar.properties.generalCategory == .control:
            flat += "\\u{\(String(scalar.value, radix: 16))}"
        default: flat.unicodeScalars.append(scalar)
        }
    }
    guard flat.count > limit else { return flat }
    let keep = (limit - 1) / 2 - 5
    return String(flat.prefix(keep)) + "…" + String(flat.suffix(keep))
}
