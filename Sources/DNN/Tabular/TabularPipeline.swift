/// The way a table becomes a model's features, column by column (`ColumnEncoder`): fitted on the
/// training data, kept in the model file, applied alike to every file the model reads later, so
/// that predict and evaluate take raw rows as they come (strings, missing cells, dates).
///
/// Shapes: a table of m rows becomes X, Σ width features × m examples, the encoders' features in
/// their order.
public struct TabularPipeline: Sendable, Equatable, Codable {
    /// One encoder per raw column taken, in the order of their features.
    public var columns: [ColumnEncoder]

    /// A pipeline of these encoders.
    public init(columns: [ColumnEncoder]) { self.columns = columns }

    /// The features' names, in order.
    public var outputNames: [String] { columns.flatMap(\.outputNames) }

    /// Fits an encoder for each of `features` (a column's index in `table` and its kind) on the
    /// table's rows.
    static func fit(
        _ table: Table, features: [(index: Int, kind: ColumnKind)], settings: TableSettings
    ) throws -> TabularPipeline {
        TabularPipeline(
            columns: try features.map { feature in
                try ColumnEncoder.fit(
                    table.columns[feature.index], name: table.names[feature.index], kind: feature.kind,
                    settings: settings, source: table.source)
            })
    }

    /// X (features × rows) from the table's columns of the pipeline's names, and per column the
    /// rows whose category was not seen in training. Throws for a column the pipeline takes that
    /// the table lacks, and for a cell an encoder cannot take.
    func transform(_ table: Table, settings: TableSettings) throws -> (
        X: Matrix, unknown: [(column: String, rows: Int)]
    ) {
        let m = table.rowCount, n = columns.reduce(0) { $0 + $1.width }
        try ResourceLimits.require(
            ResourceLimits.bytes([n, m], each: 8), for: "\(table.source): \(n) features of \(m) examples")
        var unknown = [(String, Int)]()
        var scalars = [Double](repeating: 0, count: n * m)
        try scalars.withUnsafeMutableBufferPointer { X in
            var first = 0
            for encoder in columns {
                guard let index = table.names.firstIndex(of: encoder.name) else {
                    throw DNNError(
                        "\(table.source): no column named '\(elided(encoder.name))', one the model's features are made from"
                    )
                }
                let count = try encoder.encode(
                    table.columns[index], lines: table.lines, into: X.baseAddress!, first: first, settings: settings,
                    source: table.source)
                if count > 0 { unknown.append((encoder.name, count)) }
                first += encoder.width
            }
        }
        return (Matrix(rows: n, cols: m, scalars: scalars), unknown)
    }
}

extension TabularPipeline {
    /// Throws, as a damaged model file at `path`, unless the encoders give `features` features and
    /// each has what its kind needs: a finite fill for numbers, the two words for booleans,
    /// distinct categories and the one a missing cell counts as, a valid date to fill with; no
    /// column named twice.
    func validate(features: Int, path: String) throws {
        func damaged(_ what: String) -> DNNError { DNNError("\(path): damaged model file: preprocessing: \(what)") }
        var names = Set<String>()
        var width = 0
        for encoder in columns {
            guard names.insert(encoder.name).inserted else {
                throw damaged("the column '\(elided(encoder.name))' twice")
            }
            let named = "column '\(elided(encoder.name))'"
            switch encoder.kind {
            case .numeric, .boolean:
                guard let fill = encoder.fill, fill.isFinite else { throw damaged("\(named) has no finite fill value") }
                if encoder.kind == .boolean {
                    guard let yes = encoder.yes, let no = encoder.no,
                        BooleanWords.pairs.contains(where: { $0 == (yes, no) })
                    else { throw damaged("\(named) is boolean without a known pair of words") }
                }
            case .categorical:
                let categories = encoder.categories ?? []
                guard Set(categories).count == categories.count, !categories.isEmpty || encoder.other == true,
                    categories.count <= 1_000_000, encoder.fillText != nil
                else { throw damaged("\(named) has no distinct categories, or none a missing cell counts as") }
            case .date:
                guard encoder.fillText.flatMap(ISODate.components) != nil else {
                    throw damaged("\(named) has no date to fill a missing one with")
                }
            case .identifier:
                throw damaged("\(named) is an identifier, which is never a feature")
            }
            let (sum, overflow) = width.addingReportingOverflow(encoder.width)
            guard !overflow else { throw damaged("too many features") }
            width = sum
        }
        guard width == features else {
            throw damaged("\(width) features for a network of \(features) inputs")
        }
    }
}
