/// How a model does on labelled data: accuracy, the confusion matrix, per-class precision, recall
/// and F1 (and their macro averages), log loss, ROC-AUC for two classes, and the examples it gets
/// wrong.
public struct Evaluation: Sendable {
    /// The names of classes 0…K−1.
    public let classNames: [String]
    /// How many examples of each (actual, predicted) pair occur, keyed actual·K + predicted: at
    /// most one entry per example, so that a model of 100,000 classes needs no 80 GB matrix.
    let pairs: [Int: Int]
    /// Examples of each class in the data, and predicted as each class (K each).
    let actualCounts, predictedCounts: [Int]
    /// Indices of the examples whose predicted label is not their label.
    public let mislabeled: [Int]
    /// The predicted labels, one per example.
    public let predictions: [Int]
    /// −(1/m)·Σ log p(true class): the model's cost on the data (without L2).
    public let logLoss: Double
    /// For two classes: the area under the ROC curve of the probability of class 1 (the chance a
    /// random positive ranks above a random negative, ties counting half); nil otherwise, or when
    /// the data hold one class only.
    public let rocAUC: Double?
    /// The decision threshold on the probability of class 1 (two classes).
    public let threshold: Double

    /// Predicts every example of `data` and compares with its labels. The class names are the
    /// model's; data that names its classes otherwise, or holds labels the model does not know,
    /// is an error.
    ///
    /// `X` replaces the data's features (already put in the model's column order, say); `threshold`
    /// decides class 1 for a two-class model.
    public init(
        model: DeepNeuralNetwork, data: Dataset, source: String = "data", X: Matrix? = nil, threshold: Double = 0.5
    ) throws {
        let X = X ?? data.X
        guard model.task.kind == .classification else {
            throw DNNError("a \(model.task.kind.rawValue) model is measured by its own evaluation, not a classifier's")
        }
        let data = try data.relabeled(for: model.task, of: "the model", source: source)
        try model.checkInput(X, source: source)
        try model.checkTargets(data.Y, examples: data.exampleCount, source: source)
        let (probabilities, labels) = try model.predict(X, threshold: threshold)
        self.init(
            classNames: model.classNames, actual: data.Y.scalars.map { Int($0) },
            predicted: labels.scalars.map { Int($0) },
            logLoss: model.network.head.function.cost(probabilities, data.Y),
            rocAUC: probabilities.rows == 1 ? Self.areaUnderROC(probabilities.scalars, data.Y.scalars) : nil,
            threshold: threshold)
    }

    /// The figures of `predicted` classes against `actual` ones (indices into `classNames`).
    init(
        classNames: [String], actual: [Int], predicted: [Int], logLoss: Double, rocAUC: Double?, threshold: Double
    ) {
        let classes = classNames.count
        var pairs = [Int: Int](), actualCounts = [Int](repeating: 0, count: classes)
        var predictedCounts = actualCounts, mislabeled = [Int]()
        for (index, (predicted, actual)) in zip(predicted, actual).enumerated() {
            pairs[actual * classes + predicted, default: 0] += 1
            actualCounts[actual] += 1
            predictedCounts[predicted] += 1
            if predicted != actual { mislabeled.append(index) }
        }
        (self.pairs, self.actualCounts, self.predictedCounts) = (pairs, actualCounts, predictedCounts)
        (self.mislabeled, predictions, self.classNames) = (mislabeled, predicted, classNames)
        (self.logLoss, self.rocAUC, self.threshold) = (logLoss, rocAUC, threshold)
    }

    /// m, the examples evaluated.
    public var exampleCount: Int { predictions.count }
    /// K, the model's classes.
    public var classCount: Int { actualCounts.count }
    /// The examples predicted correctly.
    public var correctCount: Int { predictions.count - mislabeled.count }
    /// The fraction of examples predicted correctly.
    public var accuracy: Double { Double(correctCount) / Double(exampleCount) }

    /// Examples of class `actual` predicted as `predicted`: entry [actual][predicted] of the
    /// confusion matrix.
    public func count(actual: Int, predicted: Int) -> Int { pairs[actual * classCount + predicted] ?? 0 }
    /// The K×K confusion matrix, `counts[actual][predicted]` (K² numbers: for few classes).
    public var counts: [[Int]] {
        (0..<classCount).map { a in (0..<classCount).map { p in count(actual: a, predicted: p) } }
    }
    /// Examples of class c in the data.
    public func actualCount(_ c: Int) -> Int { actualCounts[c] }
    /// Examples predicted as class c.
    public func predictedCount(_ c: Int) -> Int { predictedCounts[c] }
    /// Of the examples predicted as c, the fraction that are c (nil when none is predicted c).
    public func precision(_ c: Int) -> Double? {
        predictedCount(c) == 0 ? nil : Double(count(actual: c, predicted: c)) / Double(predictedCount(c))
    }
    /// Of the examples of class c, the fraction predicted c (nil when the data has none).
    public func recall(_ c: Int) -> Double? {
        actualCount(c) == 0 ? nil : Double(count(actual: c, predicted: c)) / Double(actualCount(c))
    }

    /// The harmonic mean of precision and recall (0 when both are 0; nil when either is undefined).
    public func f1(_ c: Int) -> Double? {
        guard let p = precision(c), let r = recall(c) else { return nil }
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The classes an average is over: those in the data or in the predictions (scikit-learn's
    /// `unique_labels(y_true, y_pred)`); a class of the model seen in neither is left out.
    public var averagedClasses: [Int] { (0..<classCount).filter { actualCount($0) > 0 || predictedCount($0) > 0 } }

    /// The unweighted mean of `metric` over `averagedClasses`, a class where it is undefined
    /// counting 0 (a class never predicted has precision 0: scikit-learn's `average="macro"`,
    /// `zero_division=0`).
    public func macro(_ metric: (Int) -> Double?) -> Double? {
        let classes = averagedClasses
        guard !classes.isEmpty else { return nil }
        return classes.reduce(0) { $0 + (metric($1) ?? 0) } / Double(classes.count)
    }

    /// The mean of `metric` weighted by each class's examples in the data, an undefined value
    /// counting 0 (scikit-learn's `average="weighted"`, `zero_division=0`).
    public func weighted(_ metric: (Int) -> Double?) -> Double? {
        guard exampleCount > 0 else { return nil }
        return (0..<classCount).reduce(0) { $0 + Double(actualCount($1)) * (metric($1) ?? 0) } / Double(exampleCount)
    }

    /// The Mann–Whitney statistic over the positives' and negatives' scores, ties counting half.
    static func areaUnderROC(_ scores: [Double], _ labels: [Double]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = rank }
            start = end + 1
        }
        let positives = labels.filter { $0 == 1 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let rankSum = zip(ranks, labels).filter { $0.1 == 1 }.reduce(0) { $0 + $1.0 }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }

    /// The most classes whose confusion matrix is shown as a table (K² cells: beyond this, a
    /// terminal or a page shows no more than noise).
    public static let tabulatedClasses = 30

    /// The confusion matrix as table rows, header first: actual classes down, predicted across;
    /// nil for more than `tabulatedClasses` classes.
    public var confusionTable: [[String]]? {
        guard classCount <= Self.tabulatedClasses else { return nil }
        return [[""] + classNames.map { "predicted \($0)" }]
            + (0..<classCount).map { c in ["actual \(classNames[c])"] + counts[c].map(String.init) }
    }

    /// What stands where the confusion matrix is not shown.
    public var untabulatedConfusion: String {
        "(the confusion matrix of \(classCount) classes is not shown: more than \(Self.tabulatedClasses))"
    }

    /// Per class: examples, correct, precision, recall and F1, then their macro and weighted
    /// averages (see `macro` and `weighted`); header first.
    public var perClassTable: [[String]] {
        func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
        return [["class", "examples", "correct", "precision", "recall", "F1"]]
            + (0..<classCount).map { c in
                [
                    classNames[c], "\(actualCount(c))", "\(count(actual: c, predicted: c))", format(precision(c)),
                    format(recall(c)),
                    format(f1(c)),
                ]
            }
            + [
                [
                    "macro average", "\(exampleCount)", "\(correctCount)", format(macro(precision)),
                    format(macro(recall)),
                    format(macro(f1)),
                ],
                [
                    "weighted average", "\(exampleCount)", "\(correctCount)", format(weighted(precision)),
                    format(weighted(recall)), format(weighted(f1)),
                ],
            ]
    }

    /// Accuracy, log loss and (two classes) ROC-AUC, as lines.
    public var summaryLines: [String] {
        var lines = [
            "Accuracy: \(accuracy)  (\(correctCount) of \(exampleCount) correct)",
            "Log loss: \(String(format: "%.6f", logLoss))",
        ]
        if classCount == 2 {
            lines.append("ROC-AUC: \(rocAUC.map { String(format: "%.6f", $0) } ?? "- (one class only)")")
            if threshold != 0.5 { lines.append("Threshold: \(threshold) on the probability of \(classNames[1])") }
        }
        return lines
    }
}
