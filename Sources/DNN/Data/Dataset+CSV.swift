import CSV
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

    /// The roles by name; by default labels in a required column `label`, no identifier, nothing ignored.
    public init(
        label: String = "label", targets: [String]? = nil, task: TaskKind? = nil, labelsOptional: Bool = false,
        id: String? = nil, ignored: [String] = []
    ) {
        self.label = label
        self.targets = targets
        self.task = task
        self.labelsOptional = labelsOptional
        self.id = id
        self.ignored = ignored
    }

    /// The target columns: `targets`, or the label column alone.
    public var targetColumns: [String] { targets ?? [label] }
}

extension Dataset {
    /// Reads numeric tabular data: a header row naming the columns, then one example per row.
    ///
    /// Every column but the targets, identifier and ignored ones is a feature, named by its header.
    /// The target columns give the task and Y as `TargetColumns` reads them (class names or
    /// numbers, regression values, 0/1 labels). Fields follow RFC 4180 (CSV.swift reads them:
    /// quotes, quoted commas and line breaks). A header that is empty (a pandas index column, say)
    /// or named twice is refused; errors name the line and the column.
    ///
    /// With `shard`, the file is read twice: once to count its m examples, then keeping the
    /// features of examples `shard(m)` only (a process of distributed training parses its own
    /// rows' numbers); every row's targets are read, so that the classes are the whole file's.
    public static func loadCSV(
        _ path: String, columns roles: CSVColumns = CSVColumns(), shard: ((Int) -> Range<Int>)? = nil
    ) throws -> Dataset {
        try requireReadableFile(path)
        try requireUTF8(path)
        let kept = try shard.map { $0(try countRows(path)) }
        guard let stream = InputStream(fileAtPath: path) else { throw DNNError("\(path): cannot read") }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: true)
        } catch {
            throw DNNError("\(path): empty file; expected a header row")
        }
        let header = reader.headerRow ?? []
        guard !(header.count == 1 && header[0].isEmpty) else {
            throw DNNError("\(path): empty file; expected a header row")
        }
        var seen = Set<String>()
        for (column, name) in header.enumerated() {
            if name.isEmpty && !roles.ignored.contains("") {
                throw DNNError(
                    "\(path): column \(column + 1) has no name (an index column written by pandas?); "
                        + "remove it, or pass --ignore-column \"\" to leave it out")
            }
            guard seen.insert(name).inserted else {
                throw DNNError("\(path): two columns are named '\(elided(name))'")
            }
        }
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
        let featureColumns = header.indices.filter {
            !targetIndices.contains($0) && $0 != idIndex && !roles.ignored.contains(header[$0])
        }
        guard !featureColumns.isEmpty else { throw DNNError("\(path): no feature columns") }

        // Rows are kept as parsed numbers, example by example, then laid out as X's columns; the
        // targets as text, every row's (kept or not), until the task is known.
        var rows = [Double](), ids = [String]()
        var targetCells = [[String]](repeating: [], count: targetIndices.count), lines = [Int]()
        var line = 1, example = -1
        while let fields = reader.next() {
            line += 1
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            guard fields.count == header.count else {
                throw DNNError("\(path):\(line): \(fields.count) fields, but the header has \(header.count)")
            }
            example += 1
            let keeps = kept?.contains(example) ?? true
            if keeps {
                for column in featureColumns {
                    rows.append(try number(fields[column], path, line, header[column]))
                }
            }
            for (k, column) in targetIndices.enumerated() { targetCells[k].append(fields[column]) }
            lines.append(line)
            if let idIndex, keeps { ids.append(fields[idIndex]) }
        }
        // CSV.swift reports the end of the stream as `cannotReadFile`; anything else (a byte that
        // is not UTF-8, say) is a problem with the file.
        if let error = reader.error, case CSVError.cannotReadFile = error {
        } else if let error = reader.error {
            throw DNNError("\(path):\(line + 1): not readable as CSV text (\(error))")
        }
        let (m, n) = (rows.count / featureColumns.count, featureColumns.count)
        guard example >= 0 else { throw DNNError("\(path): a header but no examples") }
        var features = [Double](repeating: 0, count: n * m)
        for i in 0..<m {
            for f in 0..<n { features[f * m + i] = rows[i * n + f] }
        }
        // Data to predict may carry its targets: their columns are not features, and not read.
        let hasLabels = !targetIndices.isEmpty && !roles.labelsOptional
        var task = LearningTask.classification(classes: ["0", "1"])
        var Y = Matrix(rows: 1, cols: m, scalars: Array(repeating: 0, count: m))
        if hasLabels {
            let (read, values) = try TargetColumns(names: targetNames, cells: targetCells, lines: lines, path: path)
                .read(as: roles.task)
            task = read
            let total = lines.count
            let keptExamples = kept ?? 0..<total
            Y = Matrix(
                rows: task.targetRows, cols: m,
                scalars: (0..<task.targetRows).flatMap { r in
                    values[r * total + keptExamples.lowerBound..<r * total + keptExamples.upperBound]
                })
        } else if let kind = roles.task, kind != .classification {
            task = kind == .regression ? .regression(targets: targetNames) : .multilabel(labels: targetNames)
            Y = Matrix(rows: task.targetRows, cols: m, scalars: Array(repeating: 0, count: task.targetRows * m))
        }
        var data = try Dataset(
            features: FeatureMatrix(Matrix(rows: n, cols: m, scalars: features)), Y: Y, task: task, imageShape: nil,
            source: path)
        data.featureNames = featureColumns.map { header[$0] }
        data.targetColumns = hasLabels ? targetNames : nil
        data.ids = idIndex == nil ? nil : ids
        data.hasLabels = hasLabels
        return data
    }

    /// The examples (non-blank rows after the header) of a CSV file, counted without parsing them.
    private static func countRows(_ path: String) throws -> Int {
        guard let stream = InputStream(fileAtPath: path),
            let reader = try? CSVReader(stream: stream, hasHeaderRow: true, trimFields: true)
        else { return 0 }
        var count = 0
        while let fields = reader.next() {
            if !(fields.count == 1 && fields[0].isEmpty) { count += 1 }  // blank lines are not examples
        }
        return count
    }

    /// A cell as a number: the whole cell, finite.
    private static func number(_ text: String, _ path: String, _ line: Int, _ column: String) throws -> Double {
        // Swift reads a number up to a NUL byte and stops there: such a cell is not a number.
        guard !text.utf8.contains(0), let value = Double(text) else {
            throw DNNError("\(path):\(line): column '\(elided(column))': '\(elided(text))' is not a number")
        }
        guard value.isFinite else {
            throw DNNError("\(path):\(line): column '\(elided(column))': \(elided(text)) is not finite")
        }
        return value
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
