extension Dataset {
    /// The data with its targets in `task`'s terms (a model's, or the training data's, which
    /// `owner` names), so that class k and target row r mean the same in both.
    ///
    /// Classes are matched by name (test data of classes "3" and "7" labels them as the model's
    /// "3" and "7"); data named only by numbers matches classes by number; classes a model names
    /// only by number take the data's in order. Regression targets and labels are matched by name,
    /// rows reordered. Anything else throws: the same label would mean another class, and every
    /// score would be silently wrong.
    public func relabeled(for task: LearningTask, of owner: String, source: String) throws -> Dataset {
        guard self.task != task else { return self }
        guard self.task.kind == task.kind else {
            throw DNNError(
                "\(source): its targets are a \(self.task.kind.rawValue)'s (\(elided(self.task.names.joined(separator: ", ")))), "
                    + "\(owner)'s a \(task.kind.rawValue)'s")
        }
        var copy = self
        copy.task = task
        guard hasLabels else {
            copy.Y = Matrix(
                rows: task.targetRows, cols: exampleCount,
                scalars: Array(repeating: 0, count: task.targetRows * exampleCount))
            return copy
        }
        if task.kind == .classification {
            guard let mapping = classMapping(to: task.names) else {
                let stranger = classNames.first { !task.names.contains($0) } ?? classNames[0]
                throw DNNError(
                    "\(source): class '\(elided(stranger))' is not one of \(owner)'s classes "
                        + "(\(elided(task.names.joined(separator: ", "))))")
            }
            copy.Y = Y.map { mapping[Int($0)] }
            return copy
        }
        guard Set(self.task.names) == Set(task.names) else {
            throw DNNError(
                "\(source): its targets (\(elided(self.task.names.joined(separator: ", ")))) are not \(owner)'s "
                    + "(\(elided(task.names.joined(separator: ", "))))")
        }
        let rows = task.names.map { self.task.names.firstIndex(of: $0)! }
        copy.Y = Matrix(
            rows: rows.count, cols: Y.cols, scalars: rows.flatMap { Y.scalars[$0 * Y.cols..<($0 + 1) * Y.cols] })
        return copy
    }

    /// For each of this data's classes, its index among `names`: by name; or, for classes
    /// that are numbers 0…K−1 where `names` are not numbers (a course file's "non-cat", "cat"),
    /// by number; or, for classes named by text where `names` are the numbers 0…K−1 (a model of
    /// version 1 or 2 read from numbered CSV labels), the data's own indices. Nil when none fits:
    /// classes "0", "2" are never taken for a model's "0", "1".
    private func classMapping(to names: [String]) -> [Double]? {
        let index = Dictionary(names.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        if classNames.allSatisfy({ index[$0] != nil }) { return classNames.map { index[$0]! } }
        let numbers = classNames.map { Int($0) }, namesAreNumbers = names.allSatisfy { Int($0) != nil }
        if !namesAreNumbers, numbers.allSatisfy({ $0 != nil && (0..<names.count).contains($0!) }) {
            return numbers.map { Double($0!) }
        }
        if names == (0..<names.count).map(String.init), numbers.contains(nil), classCount <= names.count {
            return (0..<classCount).map(Double.init)
        }
        return nil
    }
}
