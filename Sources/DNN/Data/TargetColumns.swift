/// The target columns of a table as text, one array of cells per column, and what they become:
/// the task they serve and Y. Decided here, once, for every loader and command.
///
/// Without a kind given: several columns of only 0 and 1 are labels (multi-label), several
/// columns of numbers are regression targets; one column of text holds class names, one column
/// of numbers with a fraction among them regression targets, and one of whole numbers classes
/// (sorted by value, named by it: labels 1…3 are classes "1", "2", "3") unless there are more
/// than `maximumInferredClasses` distinct values, or more than half the examples: then it is
/// refused, with both ways to read it.
struct TargetColumns {
    /// The columns' names, as the header gives them.
    let names: [String]
    /// Per column, every example's cell.
    let cells: [[String]]
    /// Per example, its line in the file (for messages).
    let lines: [Int]
    /// The file, for messages.
    let path: String

    /// The most classes a column of whole numbers gives without `--task classification`.
    static let maximumInferredClasses = 20

    /// The task and Y (targetRows×m, row-major) the cells give, for `kind` or the inferred kind.
    func read(as kind: TaskKind?) throws -> (LearningTask, [Double]) {
        let kind = try kind ?? inferredKind()
        switch kind {
        case .classification:
            guard names.count == 1 else {
                throw DNNError(
                    "\(path): \(names.count) target columns for a classification; one column holds the class, "
                        + "several are --task multilabel or regression")
            }
            return try classes(cells[0])
        case .regression:
            return (
                .regression(targets: names),
                try numbers { column, line, text, value in
                    guard let value else {
                        return
                            "\(path):\(line): column '\(elided(column))': '\(elided(text))' is not a number (a regression target)"
                    }
                    return value.isFinite
                        ? nil : "\(path):\(line): column '\(elided(column))': target \(elided(text)) is not finite"
                }
            )
        case .multilabel:
            return (
                .multilabel(labels: names),
                try numbers { column, line, text, value in
                    value == 0 || value == 1
                        ? nil
                        : "\(path):\(line): column '\(elided(column))': label '\(elided(text))' is not 0 or 1 (multi-label)"
                }
            )
        }
    }

    /// The kind the cells suggest, or a refusal naming both readings of many whole numbers.
    private func inferredKind() throws -> TaskKind {
        let parsed = cells.map { $0.map(Self.number) }
        if names.count > 1 {
            return parsed.allSatisfy({ $0.allSatisfy { $0 == 0 || $0 == 1 } }) ? .multilabel : .regression
        }
        let values = parsed[0]
        // Text among the labels: they are class names.
        guard values.allSatisfy({ $0 != nil }) else { return .classification }
        if values.contains(where: { $0! != $0!.rounded() }) { return .regression }
        let distinct = Set(values.map { $0! })
        if distinct.count > Self.maximumInferredClasses || distinct.count > 2 && 2 * distinct.count > values.count {
            let sorted = distinct.sorted()
            throw DNNError(
                "\(path): column '\(elided(names[0]))' holds \(distinct.count) distinct whole numbers "
                    + "(\(Self.name(sorted.first!))…\(Self.name(sorted.last!))): pass --task regression to predict "
                    + "them as values, or --task classification to take each as a class")
        }
        return .classification
    }

    /// One column of class names (text) or class numbers: the classes are the distinct cells,
    /// numbers sorted by value and named by it, text sorted as text.
    private func classes(_ column: [String]) throws -> (LearningTask, [Double]) {
        if let empty = column.firstIndex(of: "") {
            throw DNNError("\(path):\(lines[empty]): column '\(elided(names[0]))': no label")
        }
        let values = column.map(Self.number)
        let names: [String]
        let keys: [String]
        if values.allSatisfy({ $0?.isFinite == true }) {
            let distinct = Set(values.map { $0! }).sorted()
            names = distinct.map(Self.name)
            keys = values.map { Self.name($0!) }
        } else {
            names = Set(column).sorted()
            keys = column
        }
        guard names.count <= Dataset.maximumClasses else {
            throw DNNError(
                "\(path): column '\(elided(self.names[0]))' holds \(names.count) classes; at most \(Dataset.maximumClasses)"
            )
        }
        var index = [String: Double]()
        for (k, name) in names.enumerated() { index[name] = Double(k) }
        return (.classification(classes: names), keys.map { index[$0]! })
    }

    /// Every cell as a number, row by row, each checked by `problem` (nil when it is a good value).
    private func numbers(_ problem: (String, Int, String, Double?) -> String?) throws -> [Double] {
        var result = [Double]()
        result.reserveCapacity(cells.count * lines.count)
        for (name, column) in zip(names, cells) {
            for (i, text) in column.enumerated() {
                let value = Self.number(text)
                if let message = problem(name, lines[i], text, value) { throw DNNError(message) }
                result.append(value!)
            }
        }
        return result
    }

    /// A cell as a number, when it is one (a cell holding a NUL byte is not).
    static func number(_ text: String) -> Double? {
        text.utf8.contains(0) ? nil : Double(text)
    }

    /// A class number's name: whole numbers without a fraction ("3", not "3.0").
    static func name(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
