/// One column of a table as read: numbers when every cell is a number or missing, text otherwise.
public enum TableColumn: Sendable, Equatable {
    /// One value per row; NaN where the cell is missing.
    case numbers([Double])
    /// Each row's value as a code into `values` (−1 where the cell is missing); `values` in the
    /// order first seen.
    case text(codes: [Int32], values: [String])

    /// The rows.
    public var count: Int {
        switch self {
        case .numbers(let values): values.count
        case .text(let codes, _): codes.count
        }
    }

    /// Row `row` as text (nil when missing): a number in its shortest form ("3", not "3.0").
    public func text(_ row: Int) -> String? {
        switch self {
        case .numbers(let values): values[row].isNaN ? nil : Self.name(values[row])
        case .text(let codes, let values): codes[row] < 0 ? nil : values[Int(codes[row])]
        }
    }

    /// The number of missing cells.
    public var missingCount: Int {
        switch self {
        case .numbers(let values): values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .text(let codes, _): codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        }
    }

    /// The parts' rows one after the other (of one kind: all numbers or all text); text codes
    /// renumbered into the values of the first part that has each.
    static func joined(_ parts: [TableColumn]) -> TableColumn {
        if case .numbers = parts[0] {
            var all = [Double]()
            all.reserveCapacity(parts.reduce(0) { $0 + $1.count })
            for case .numbers(let values) in parts { all.append(contentsOf: values) }
            return .numbers(all)
        }
        var values = [String](), index = [String: Int32](), codes = [Int32]()
        codes.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for case .text(let partCodes, let partValues) in parts {
            let renumbered = partValues.map { value -> Int32 in
                if let code = index[value] { return code }
                let code = Int32(values.count)
                index[value] = code
                values.append(value)
                return code
            }
            codes.append(contentsOf: partCodes.lazy.map { $0 < 0 ? -1 : renumbered[Int($0)] })
        }
        return .text(codes: codes, values: values)
    }

    /// The rows `rows`, in that order.
    func selecting(_ rows: [Int]) -> TableColumn {
        switch self {
        case .numbers(let values): .numbers(rows.map { values[$0] })
        case .text(let codes, let values): .text(codes: rows.map { codes[$0] }, values: values)
        }
    }

    /// `text` as a number, when it is exactly one.
    static func number(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return nil }
            return NumberParsing.number(base, base + bytes.count, decimal: UInt8(ascii: "."))
        }
    }

    /// A number's name: whole numbers without a fraction ("3", not "3.0").
    static func name(_ value: Double) -> String { TableColumnName.of(value) }
}

/// The names numbers take as categories and in messages.
public enum TableColumnName {
    /// A number's name: whole numbers without a fraction ("3", not "3.0"), others in their
    /// shortest round-trip form.
    public static func of(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
