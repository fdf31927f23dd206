extension ColumnEncoder {
    /// Writes the column's features for every row of `column` into `X` (features × m, row-major),
    /// rows `first ..< first + width`; returns how many rows held a category unseen in training.
    /// Throws, naming the file, the line, the column and the value, for a cell this column cannot
    /// take: text where numbers were trained, a word that is not the boolean pair's, a date that
    /// is not one, a missing cell under `--missing error`, an unseen category under
    /// `--unknown-category error`, or a number that is not finite.
    func encode(
        _ column: TableColumn, lines: [Int], into X: UnsafeMutablePointer<Double>, first: Int, settings: TableSettings,
        source: String
    ) throws -> Int {
        let m = column.count
        let missingRow = indicator ? X + (first + width - 1) * m : nil
        func problem(_ row: Int, _ what: String) -> DNNError {
            DNNError("\(source):\(lines[row]): column '\(elided(name))': \(what)")
        }
        func missing(_ row: Int) throws {
            if settings.missing == .error {
                throw problem(row, "a missing value (--missing error refuses them; without it they are imputed)")
            }
            missingRow?[row] = 1
        }
        if let missingRow { missingRow.initialize(repeating: 0, count: m) }
        let out = X + first * m
        switch kind {
        case .numeric, .identifier:
            guard case .numbers(let values) = column else { throw notNumbers(column, lines, source) }
            for row in 0..<m {
                let value = values[row]
                if value.isNaN {
                    try missing(row)
                    out[row] = fill ?? 0
                } else {
                    guard value.isFinite else { throw problem(row, "\(value) is not finite") }
                    out[row] = value
                }
            }
        case .boolean:
            let pair = (yes: yes ?? "true", no: no ?? "false")
            for row in 0..<m {
                guard let text = column.text(row) else {
                    try missing(row)
                    out[row] = fill ?? 0
                    continue
                }
                guard let value = BooleanWords.value(text, pair) else {
                    throw problem(row, "'\(elided(text))' is not \(pair.yes) or \(pair.no)")
                }
                out[row] = value
            }
        case .categorical:
            let names = categories ?? [], width = names.count + (other == true ? 1 : 0)
            (0..<width * m).forEach { out[$0] = 0 }
            var index = [String: Int]()
            for (k, name) in names.enumerated() { index[name] = k }
            var unknown = 0
            for row in 0..<m {
                var text = column.text(row)
                if text == nil {
                    try missing(row)
                    text = fillText
                }
                if let k = index[text!] {
                    out[k * m + row] = 1
                } else if other == true {
                    // Rare in training, or unseen: both are categories the model knows little of.
                    out[names.count * m + row] = 1
                } else {
                    if settings.unknownCategory == .error {
                        throw problem(
                            row, "'\(elided(text!))' is not a category seen in training (--unknown-category error)")
                    }
                    unknown += 1
                }
            }
            return unknown
        case .date:
            let filled = fillText.flatMap(ISODate.components) ?? (1970, 1, 1, 3)
            for row in 0..<m {
                var parts = filled
                if let text = column.text(row) {
                    guard let date = ISODate.components(text) else {
                        throw problem(row, "'\(elided(text))' is not a date (YYYY-MM-DD)")
                    }
                    parts = date
                } else {
                    try missing(row)
                }
                out[row] = Double(parts.year)
                out[m + row] = Double(parts.month)
                out[2 * m + row] = Double(parts.day)
                out[3 * m + row] = Double(parts.weekday)
            }
        }
        return 0
    }

    /// The problem of data whose column the model reads as numbers but which holds text: its
    /// first cell that is not a number.
    private func notNumbers(_ column: TableColumn, _ lines: [Int], _ source: String) -> DNNError {
        for row in 0..<column.count {
            if let text = column.text(row), TableColumn.number(text) == nil {
                return DNNError(
                    "\(source):\(lines[row]): column '\(elided(name))': '\(elided(text))' is not a number "
                        + "(the model reads this column as numbers)")
            }
        }
        return DNNError("\(source): column '\(elided(name))' holds text; the model reads it as numbers")
    }
}
