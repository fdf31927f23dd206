import ArgumentParser
import DNN

/// How a CSV file's cells become features (see `TableSettings`), shared by the commands that read
/// data. What training learns from them (categories, fill values) travels with the model.
struct TableOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The byte between fields: , ; tab | (or any one character).",
            discussion: "Default: a tab for .tsv files, else detected from the first lines among , ; tab |."))
    var delimiter: String?

    @Option(help: "The decimal mark of numbers: . (default) or , (then the delimiter is not a comma).")
    var decimal = "."

    @Option(help: "Columns of numbers to take as categories (comma-separated): each value a category.")
    var categorical: String?

    @Option(help: "Date columns (YYYY-MM-DD): drop (left out, the default) or expand (year, month, day, weekday).")
    var dates = DateHandling.drop

    @Option(
        help: ArgumentHelp(
            "Missing cells (empty, NA, NaN, null, ?): impute (default) or error.",
            discussion:
                "impute: the training median of a number, the most frequent value of a category or boolean, learnt in training and kept with the model."
        ))
    var missing = TableSettings.Missing.impute

    @Flag(help: "Add a 0/1 feature after each feature that had missing cells in training, saying which rows did.")
    var missingIndicator = false

    @Option(help: "Pool categories seen fewer times than this in training into one, (other).")
    var minCategoryCount = 1

    @Option(help: "The most distinct values a categorical column may have.")
    var maxCategories = 100

    @Option(
        help:
            "A category not seen in training, at prediction: zeros (all its one-hot features 0, with a warning) or error."
    )
    var unknownCategory = TableSettings.UnknownCategory.zeros

    @Flag(help: "Leave out rows whose target is missing (counted), instead of refusing the file.")
    var dropMissingTarget = false

    enum DateHandling: String, ExpressibleByArgument, CaseIterable {
        case drop, expand
    }

    func validate() throws {
        if let delimiter { _ = try Self.byte(delimiter, "--delimiter") }
        guard decimal == "." || decimal == "," else { throw ValidationError("--decimal \(decimal): . or ,") }
        guard minCategoryCount >= 1 else {
            throw ValidationError("--min-category-count \(minCategoryCount): at least 1")
        }
        guard maxCategories >= 1 else { throw ValidationError("--max-categories \(maxCategories): at least 1") }
        if let categorical, categorical.split(separator: ",", omittingEmptySubsequences: false).contains("") {
            throw ValidationError("--categorical \(categorical): a column name is empty")
        }
    }

    /// The one byte a delimiter flag names: a single ASCII character, or "tab" / "\t".
    static func byte(_ text: String, _ flag: String) throws -> UInt8 {
        if text == "tab" || text == "\\t" { return UInt8(ascii: "\t") }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != UInt8(ascii: "\""),
            byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r")
        else { throw ValidationError("\(flag) \(text): one character (, ; | or tab), not a quote or line break") }
        return byte
    }

    /// The settings the flags give.
    var settings: TableSettings {
        var settings = TableSettings()
        settings.delimiter = delimiter.flatMap { try? Self.byte($0, "--delimiter") }
        settings.decimal = decimal.utf8.first!
        settings.categorical = categorical.map { $0.split(separator: ",").map(String.init) } ?? []
        settings.expandDates = dates == .expand
        settings.missing = missing
        settings.missingIndicator = missingIndicator
        settings.minCategoryCount = minCategoryCount
        settings.maxCategories = maxCategories
        settings.unknownCategory = unknownCategory
        settings.dropMissingTarget = dropMissingTarget
        return settings
    }
}

extension TableSettings.Missing: ExpressibleByArgument {}
extension TableSettings.UnknownCategory: ExpressibleByArgument {}
