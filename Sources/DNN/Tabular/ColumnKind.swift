import Foundation

/// What a table column holds, as read from its cells (see `TableColumn.kind`).
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
    /// Numbers (every cell a number or missing).
    case numeric
    /// Two words meaning yes and no: true/false or yes/no, in any case.
    case boolean
    /// Text of a few distinct values (or numbers declared categories).
    case categorical
    /// Text whose every value is distinct (names, keys), or pandas' index column: not a feature.
    case identifier
    /// ISO dates (`2024-03-01`, a time after them allowed): not a feature unless expanded.
    case date
}

extension TableColumn {
    /// The fewest distinct values that make an all-distinct text column an identifier: below it
    /// (a handful of rows) it stays categorical.
    static let identifierMinimum = 20

    /// What the column holds: numbers are numeric; text of one boolean pair is boolean; text of
    /// ISO dates a date; text with every value distinct, at least `identifierMinimum` of them,
    /// an identifier; other text categorical.
    public var kind: ColumnKind {
        guard case .text(let codes, let values) = self else { return .numeric }
        if !values.isEmpty && BooleanWords.pair(of: values) != nil { return .boolean }
        if !values.isEmpty && values.allSatisfy(ISODate.isDate) { return .date }
        let present = codes.count - missingCount
        if values.count == present && present >= Self.identifierMinimum { return .identifier }
        return .categorical
    }

    /// Whether the column is pandas' default index: numbers 0, 1, 2, … one per row.
    public var isRowIndex: Bool {
        guard case .numbers(let values) = self else { return false }
        return values.enumerated().allSatisfy { Double($0.offset) == $0.element }
    }
}

/// The words of a boolean column: one pair, compared without case.
enum BooleanWords {
    static let pairs: [(yes: String, no: String)] = [("true", "false"), ("yes", "no")]

    /// The pair every value belongs to, if one does.
    static func pair(of values: [String]) -> (yes: String, no: String)? {
        pairs.first { pair in values.allSatisfy { [pair.yes, pair.no].contains($0.lowercased()) } }
    }

    /// 1 for the pair's yes word, 0 for its no word, nil for another.
    static func value(_ text: String, _ pair: (yes: String, no: String)) -> Double? {
        switch text.lowercased() {
        case pair.yes: 1
        case pair.no: 0
        default: nil
        }
    }
}

/// Dates as ISO 8601 writes them: `YYYY-MM-DD`, optionally followed by a time (`T` or a space,
/// then anything).
enum ISODate {
    /// Whether `text` starts with a valid ISO date and has nothing but a time after it.
    static func isDate(_ text: String) -> Bool { components(text) != nil }

    /// The year, month (1–12), day (1–31) and weekday (0 Monday … 6 Sunday, as pandas counts)
    /// of `text`, when it is a date.
    static func components(_ text: String) -> (year: Int, month: Int, day: Int, weekday: Int)? {
        let bytes = Array(text.utf8)
        guard
            bytes.count == 10 || bytes.count > 10 && (bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ")),
            bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for k in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[k]) else { return nil }
                value = value * 10 + Int(bytes[k] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return (year, month, day, weekday(year: year, month: month, day: day))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The day of the week, 0 Monday … 6 Sunday (Sakamoto's method on the proleptic Gregorian
    /// calendar).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let sunday0 = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
        return (sunday0 + 6) % 7
    }
}
