/// How one raw column becomes features, fitted on the training data and kept with the model:
///
/// - numeric: the value, a missing one replaced by the training median;
/// - boolean: 1 for the yes word (true, yes), 0 for the no word, a missing one the most frequent;
/// - categorical: one 0/1 feature per training category (sorted), categories seen fewer than
///   `minCategoryCount` times pooled into one "(other)" feature, a missing cell counted as the
///   most frequent category, an unseen one all zeros;
/// - date: year, month, day and weekday (0 Monday), a missing date the median date's.
///
/// With `indicator`, a 0/1 feature follows saying which rows were missing.
public struct ColumnEncoder: Sendable, Equatable, Codable {
    /// The raw column's name, as the header gives it.
    public let name: String
    /// What the column holds: numeric, boolean, categorical or date.
    public let kind: ColumnKind
    /// Numeric and boolean: the value a missing cell gets (the median; 1 or 0).
    public var fill: Double?
    /// Categorical: the categories, sorted; `other` when rare ones were pooled. Date: the median date.
    public var categories: [String]?
    /// Categorical: whether an "(other)" feature holds the rare categories.
    public var other: Bool?
    /// Categorical: the category a missing cell counts as; date: the date a missing one gets.
    public var fillText: String?
    /// Boolean: the yes and no words, as the training data wrote them (lower case).
    public var yes: String?, no: String?
    /// Whether a 0/1 missing indicator follows the column's features.
    public var indicator: Bool

    /// The name of the pooled category's feature.
    public static let otherName = "(other)"

    /// The features this column gives, named: `x`; `colour=red`, …; `day.year`, …; then `x_missing`.
    public var outputNames: [String] {
        var names: [String]
        switch kind {
        case .numeric, .boolean, .identifier: names = [name]
        case .categorical:
            names = (categories ?? []).map { "\(name)=\($0)" } + (other == true ? ["\(name)=\(Self.otherName)"] : [])
        case .date: names = ["year", "month", "day", "weekday"].map { "\(name).\($0)" }
        }
        return names + (indicator ? ["\(name)_missing"] : [])
    }

    /// The number of features.
    public var width: Int { outputNames.count }
}

extension ColumnEncoder {
    /// Fits the encoder of column `name` (read as `column`) for `kind`: the fill value, the
    /// categories and the indicator, from the training rows. Throws for a categorical column of
    /// more than `settings.maxCategories` categories.
    static func fit(_ column: TableColumn, name: String, kind: ColumnKind, settings: TableSettings, source: String)
        throws -> ColumnEncoder
    {
        let missing = column.missingCount
        let indicator = settings.missingIndicator && missing > 0
        var encoder = ColumnEncoder(name: name, kind: kind, indicator: indicator)
        let present = (0..<column.count).compactMap { column.text($0) }
        switch kind {
        case .numeric, .identifier:
            guard case .numbers(let values) = column else { preconditionFailure("a numeric column read as text") }
            let sorted = values.filter { !$0.isNaN }.sorted()
            encoder.fill = sorted.isEmpty ? 0 : Self.median(sorted)
        case .boolean:
            guard case .text(_, let values) = column, let pair = BooleanWords.pair(of: values) else {
                preconditionFailure("a boolean column without its words")
            }
            (encoder.yes, encoder.no) = pair
            let yes = present.filter { BooleanWords.value($0, pair) == 1 }.count
            encoder.fill = 2 * yes >= present.count ? 1 : 0
        case .categorical:
            var counts = [String: Int]()
            for value in present { counts[value, default: 0] += 1 }
            let numeric = column.kind == .numeric
            let order: (String, String) -> Bool = numeric ? { Double($0)! < Double($1)! } : { $0 < $1 }
            let kept = counts.filter { $0.value >= settings.minCategoryCount }.keys.sorted(by: order)
            guard kept.count <= settings.maxCategories else {
                throw DNNError(
                    "\(source): column '\(elided(name))' holds \(kept.count) categories, more than \(settings.maxCategories); "
                        + "declare it an identifier (--id-column), leave it out (--ignore-column) or raise --max-categories"
                )
            }
            encoder.categories = kept
            encoder.other = kept.count < counts.count
            // The most frequent category, the first in order among equals.
            encoder.fillText = counts.max { $0.value < $1.value || $0.value == $1.value && order($1.key, $0.key) }?.key
        case .date:
            let dates = present.sorted()
            encoder.fillText = dates.isEmpty ? "1970-01-01" : dates[(dates.count - 1) / 2]
        }
        return encoder
    }

    /// The median of sorted values (the mean of the middle two for an even count, as numpy's).
    static func median(_ sorted: [Double]) -> Double {
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
