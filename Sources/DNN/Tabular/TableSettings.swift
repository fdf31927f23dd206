/// How a table's cells become features: the file's dialect, which columns to take as categories
/// or dates, and what to do with missing values, rare and unseen categories. Chosen when a model
/// is trained (`dnn train`'s flags); what the fitted pipeline learned travels with the model.
public struct TableSettings: Sendable, Equatable {
    /// What a missing feature cell gets.
    public enum Missing: String, Sendable, CaseIterable {
        /// The training data's median (numbers) or most frequent value (categories, booleans).
        case impute
        /// Refused, naming the file, line and column.
        case error
    }

    /// What a category not seen in training gets, at prediction.
    public enum UnknownCategory: String, Sendable, CaseIterable {
        /// Zeros in every one of the column's one-hot features (and a warning counting such rows).
        case zeros
        /// Refused, naming the file, line, column and value.
        case error
    }

    /// The byte between fields; nil to detect it (a tab for `.tsv`).
    public var delimiter: UInt8?
    /// The decimal mark in numbers: `.`, or `,`.
    public var decimal = UInt8(ascii: ".")
    /// Columns of numbers to take as categories (each value a category, named by it).
    public var categorical: [String] = []
    /// Whether date columns become features (year, month, day, weekday); else they are left out.
    public var expandDates = false
    /// What a missing feature cell gets.
    public var missing = Missing.impute
    /// Whether a feature with missing cells in training gets a 0/1 column saying which rows.
    public var missingIndicator = false
    /// Categories seen fewer times than this in training are pooled into one, "(other)".
    public var minCategoryCount = 1
    /// The most distinct values a categorical column may have (more: an identifier, or a limit
    /// to raise).
    public var maxCategories = 100
    /// What a category not seen in training gets.
    public var unknownCategory = UnknownCategory.zeros
    /// Whether a row whose target is missing is left out (counted) rather than refused.
    public var dropMissingTarget = false

    /// The defaults: the dialect detected, missing values imputed, no indicators, no pooling, up
    /// to 100 categories a column, unseen categories as zeros, dates left out.
    public init() {}
}
