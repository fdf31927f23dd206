/// What a model learns, decided once where the data is loaded and carried by the data, the model,
/// its file and every command: the kind of targets and their names. (Not `Task`, which would
/// shadow Swift concurrency's in every file that imports DNN.)
///
/// - classification: K classes (names); targets are class indices 0…K−1, one row; one sigmoid unit
///   for two classes (the course's), a softmax over K ≥ 3;
/// - regression: k target columns; targets are k rows of values; the identity and the squared
///   error, one unit per target;
/// - multi-label: L labels, each on or off; targets are L rows of 0/1; L sigmoid units.
///
/// Nothing downstream asks how many rows Y has to guess which it is.
public enum LearningTask: Sendable, Hashable {
    /// K classes, by name: targets are class indices 0…K−1, one row.
    case classification(classes: [String])
    /// k values to predict, by the targets' names: one row of values per target.
    case regression(targets: [String])
    /// L labels, each on or off, by name: one row of 0/1 per label.
    case multilabel(labels: [String])

    /// The task a network's head serves when nothing names its targets: classes "0", "1", … for
    /// a sigmoid unit or a softmax, labels "0", "1", … for several sigmoid units, and targets
    /// "target" (or "target0", "target1", …) for the squared error.
    public static func numbered(for network: Network) -> LearningTask {
        let numbers = (0..<network.outputs).map(String.init)
        switch network.head.name {
        case Loss.squaredError.name:
            return .regression(targets: network.outputs == 1 ? ["target"] : numbers.map { "target" + $0 })
        case Loss.sigmoid.name where network.outputs > 1: return .multilabel(labels: numbers)
        case Loss.sigmoid.name: return .classification(classes: ["0", "1"])
        default: return .classification(classes: numbers)
        }
    }

    /// Throws unless `network` ends in this task's loss and units, with two classes at least.
    func requireFits(_ network: Network) throws {
        if case .classification(let names) = self, names.count < 2 {
            throw DNNError("\(names.count) class name(s): a classifier needs two classes at least")
        }
        guard network.head == loss, network.outputs == outputUnits else {
            throw DNNError(
                "a \(kind.rawValue) of \(names.count) \(kind == .classification ? "classes" : kind == .regression ? "targets" : "labels") "
                    + "takes \(outputUnits) \(loss.name) output unit(s), not \(network.outputs) \(network.head.name)")
        }
    }

    /// "2 classes", "1 target", "5 labels": what the output serves, in words.
    public var summary: String {
        let count = names.count
        switch kind {
        case .classification: return "\(count) classes"
        case .regression: return count == 1 ? "1 target" : "\(count) targets"
        case .multilabel: return count == 1 ? "1 label" : "\(count) labels"
        }
    }

    /// The kind, without the names.
    public var kind: TaskKind {
        switch self {
        case .classification: .classification
        case .regression: .regression
        case .multilabel: .multilabel
        }
    }

    /// The classes', targets' or labels' names, in the order of the targets.
    public var names: [String] {
        switch self {
        case .classification(let names), .regression(let names), .multilabel(let names): names
        }
    }

    /// The class names of a classification; empty for the other tasks.
    public var classNames: [String] {
        if case .classification(let names) = self { return names }
        return []
    }

    /// The same task with other names (the same kind and count).
    func renamed(_ names: [String]) -> LearningTask {
        switch self {
        case .classification: .classification(classes: names)
        case .regression: .regression(targets: names)
        case .multilabel: .multilabel(labels: names)
        }
    }

    /// The network's output units: one sigmoid unit for two classes, K for K classes, one per
    /// target or label.
    public var outputUnits: Int {
        if case .classification(let names) = self, names.count <= 2 { return 1 }
        return names.count
    }

    /// The loss the task trains with: sigmoid and binary cross-entropy for two classes and for
    /// labels, softmax and categorical cross-entropy for K ≥ 3 classes, squared error for values.
    public var loss: Loss {
        switch self {
        case .classification(let names): .forClasses(names.count)
        case .regression: .squaredError
        case .multilabel: .sigmoid
        }
    }

    /// Rows of the targets: 1 (class indices) or one per target or label.
    public var targetRows: Int { kind == .classification ? 1 : names.count }

    /// The decision for each example from the outputs A[L] (units×m): for classification a 1×m
    /// row of class indices (class 1 where one sigmoid unit's probability is above `threshold`,
    /// else the most probable, the first of equals), for labels the L×m indicators above
    /// `threshold`, for regression the values themselves.
    public func decisions(_ outputs: Matrix, threshold: Double = 0.5) -> Matrix {
        switch self {
        case .regression: return outputs
        case .multilabel: return outputs.map { $0 > threshold ? 1 : 0 }
        case .classification:
            guard outputs.rows > 1 else { return outputs.map { $0 > threshold ? 1 : 0 } }
            return Matrix(
                rows: 1, cols: outputs.cols,
                scalars: (0..<outputs.cols).map { j in
                    var best = 0
                    for k in 1..<outputs.rows where outputs[k, j] > outputs[best, j] { best = k }
                    return Double(best)
                })
        }
    }

    /// Throws unless Y holds targets of this task for m examples: one row of class indices
    /// 0…K−1, or one row per target of finite values, or per label of 0 and 1. `source` names
    /// the data in the message.
    public func validate(targets Y: Matrix, examples m: Int, source: String) throws {
        guard Y.rows == targetRows, Y.cols == m else {
            throw DNNError(
                "\(source): \(kind == .classification ? "labels" : "targets") of shape \(Y.shapeDescription) do not match "
                    + "\(m) examples; expected (\(targetRows),\(m))")
        }
        let describe = { (k: Int) in
            "\(self.names.indices.contains(k / m) ? "'\(elided(self.names[k / m]))' " : "")of example \(k % m)"
        }
        switch self {
        case .classification(let names):
            let classes = Double(names.count)
            if let k = Y.scalars.firstIndex(where: { !($0 >= 0 && $0 < classes && $0 == $0.rounded()) }) {
                throw DNNError(
                    names.count == 2
                        ? "\(source): label \(Y.scalars[k]) of example \(k) is not 0 or 1"
                        : "\(source): label \(Y.scalars[k]) of example \(k) is not a class 0…\(names.count - 1)")
            }
        case .regression:
            if let k = Y.scalars.firstIndex(where: { !$0.isFinite }) {
                throw DNNError("\(source): target \(describe(k)) is \(Y.scalars[k]); targets must be finite")
            }
        case .multilabel:
            if let k = Y.scalars.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw DNNError("\(source): label \(describe(k)) is \(Y.scalars[k]); labels are 0 or 1")
            }
        }
    }
}

/// The kinds of task, as `--task` names them.
public enum TaskKind: String, Sendable, Codable, CaseIterable {
    /// Classes (one label per example).
    case classification
    /// Values (one or more targets per example).
    case regression
    /// Labels (each on or off, several per example).
    case multilabel
}

extension LearningTask: Codable {
    private enum Keys: String, CodingKey { case kind, names }

    /// Reads `{"kind": "regression", "names": [...]}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let names = try container.decode([String].self, forKey: .names)
        switch try container.decode(TaskKind.self, forKey: .kind) {
        case .classification: self = .classification(classes: names)
        case .regression: self = .regression(targets: names)
        case .multilabel: self = .multilabel(labels: names)
        }
    }

    /// Writes `{"kind": "regression", "names": [...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(names, forKey: .names)
    }
}
