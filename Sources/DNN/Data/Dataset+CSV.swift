import Foundation

extension Dataset {
    /// Reads numeric tabular data: a header row naming the columns, then one example per line.
    ///
    /// Every column but `labelColumn` is a feature; the label column holds class indices 0…K−1
    /// (K, at least 2, is one more than the largest label; the classes are named "0", "1", …). Fields are
    /// separated by commas (numbers only, so no quoting is needed; quotes around header names are
    /// removed). Errors name the line and the column.
    public static func loadCSV(_ path: String, labelColumn: String = "label") throws -> Dataset {
        try requireReadableFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DNNError("\(path): cannot read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DNNError("\(path): not a text file (not UTF-8)")
        }
        // Any line ending: in Swift "\r\n" is one Character, which a split at "\n" would miss.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespacesAndNewlines)) }
            .filter { !$0.text.isEmpty }
        guard !lines.isEmpty else { throw DNNError("\(path): empty file; expected a header row") }
        let header = lines.removeFirst().text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard let labelIndex = header.firstIndex(of: labelColumn) else {
            throw DNNError(
                "\(path): no column named '\(labelColumn)' in the header (\(header.joined(separator: ", ")))")
        }
        guard header.count >= 2 else { throw DNNError("\(path): no feature columns besides '\(labelColumn)'") }
        guard !lines.isEmpty else { throw DNNError("\(path): a header but no examples") }

        let m = lines.count, n = header.count - 1
        var features = [Double](repeating: 0, count: n * m)
        var labels = [Double](repeating: 0, count: m)
        for (i, line) in lines.enumerated() {
            let fields = line.text.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw DNNError("\(path):\(line.number): \(fields.count) fields, but the header has \(header.count)")
            }
            var f = 0
            for (column, field) in fields.enumerated() {
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                guard let value = Double(trimmed) else {
                    throw DNNError("\(path):\(line.number): column '\(header[column])': '\(trimmed)' is not a number")
                }
                guard value.isFinite else {
                    throw DNNError("\(path):\(line.number): column '\(header[column])': \(trimmed) is not finite")
                }
                if column == labelIndex {
                    guard value >= 0, value == value.rounded(), value < 1_000_000 else {
                        throw DNNError(
                            "\(path):\(line.number): column '\(labelColumn)': label \(trimmed) is not a class number 0, 1, 2, …"
                        )
                    }
                    labels[i] = value
                } else {
                    features[f * m + i] = value
                    f += 1
                }
            }
        }
        let classes = max(2, Int(labels.max()!) + 1)
        return try Dataset(
            X: Matrix(rows: n, cols: m, scalars: features), Y: Matrix(rows: 1, cols: m, scalars: labels),
            classNames: (0..<classes).map(String.init), source: path)
    }
}
