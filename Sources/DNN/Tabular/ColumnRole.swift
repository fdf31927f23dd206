/// What a loader makes of a column of a table: a target, the identifier carried into
/// predictions, ignored, a feature of some kind, or left out for a reason it says.
public enum ColumnRole: Sendable, Equatable {
    /// A target (a label column, or one of several targets).
    case target
    /// The identifier column (`--id-column`).
    case identifier
    /// Named by `--ignore-column`.
    case ignored
    /// A feature, encoded as its kind asks.
    case feature(ColumnKind)
    /// Not a feature, with the reason: pandas' index, an identifier, dates not expanded.
    case leftOut(String)
}

extension Table {
    /// Each column's role under `columns`: its targets and identifier (present ones), its
    /// ignored columns, then every other column by its kind (`categorical` settings first):
    /// pandas' index (unnamed, or "Unnamed: 0", holding 0, 1, 2, …), identifiers and dates not
    /// expanded are left out. Throws for an unnamed column that is not such an index, and for a
    /// `categorical` name the table lacks.
    public func roles(_ columns: CSVColumns) throws -> [ColumnRole] {
        let settings = columns.reading
        for name in settings.categorical where !names.contains(name) {
            throw DNNError("\(source): no column named '\(elided(name))' to read as categories")
        }
        return try names.enumerated().map { j, name in
            if columns.targetColumns.contains(name) { return .target }
            if columns.id == name { return .identifier }
            if columns.ignored.contains(name) || columns.weight == name { return .ignored }
            let column = self.columns[j]
            if name.isEmpty || name == "Unnamed: 0" {
                guard column.isRowIndex else {
                    throw DNNError(
                        "\(source): column \(j + 1) has no name (an index column written by pandas?); "
                            + "remove it, or pass --ignore-column \"\" to leave it out")
                }
                return .leftOut("pandas' index of the rows")
            }
            switch settings.categorical.contains(name) ? ColumnKind.categorical : column.kind {
            case .identifier:
                return .leftOut(
                    "every value differs (an identifier; --id-column carries it into predictions, "
                        + "--categorical takes it as categories)")
            case .date where !settings.expandDates:
                return .leftOut("dates (--dates expand makes year, month, day and weekday features of them)")
            case let kind:
                return .feature(kind)
            }
        }
    }
}
