import Foundation

/// How a multi-label model does on data with labels: per label precision, recall and F1 (and
/// their macro averages), the subset accuracy (examples with every label right), the Hamming
/// loss (the fraction of label entries wrong) and the log loss (the model's cost, summed over
/// the labels).
public struct MultilabelEvaluation: Sendable {
    /// The labels' names, in the order of Y's rows.
    public let labelNames: [String]
    /// The predicted indicators (L×m): probability above `threshold`.
    public let predictions: Matrix
    /// The labels (L×m, 0 or 1), rows in the model's order.
    public let actual: Matrix
    /// −(1/m)·Σᵢ Σₖ [y log a + (1 − y) log(1 − a)].
    public let logLoss: Double
    /// The probability above which a label is predicted on.
    public let threshold: Double

    /// Predicts every example of `data` and compares with its labels, matched to the model's by
    /// name. `X` replaces the data's features.
    public init(
        model: DeepNeuralNetwork, data: Dataset, source: String = "data", X: Matrix? = nil, threshold: Double = 0.5
    ) throws {
        guard model.task.kind == .multilabel else {
            throw DNNError("a \(model.task.kind.rawValue) model is not measured label by label")
        }
        let data = try data.relabeled(for: model.task, of: "the model", source: source)
        let X = X ?? data.X
        try model.checkInput(X, source: source)
        try model.checkTargets(data.Y, examples: data.exampleCount, source: source)
        let (probabilities, decisions) = try model.predict(X, threshold: threshold)
        predictions = decisions
        actual = data.Y
        labelNames = model.task.names
        logLoss = model.network.head.function.cost(probabilities, data.Y)
        self.threshold = threshold
    }

    /// m, the examples evaluated.
    public var exampleCount: Int { actual.cols }

    /// Label k's true positives, predicted positives and actual positives.
    private func counts(_ k: Int) -> (hits: Int, predicted: Int, actual: Int) {
        var result = (hits: 0, predicted: 0, actual: 0)
        for j in 0..<actual.cols {
            let (p, y) = (predictions[k, j] == 1, actual[k, j] == 1)
            if p && y { result.hits += 1 }
            if p { result.predicted += 1 }
            if y { result.actual += 1 }
        }
        return result
    }

    /// Of the examples predicted with label k, the fraction that have it (nil when none is).
    public func precision(_ k: Int) -> Double? {
        let c = counts(k)
        return c.predicted == 0 ? nil : Double(c.hits) / Double(c.predicted)
    }

    /// Of the examples with label k, the fraction predicted with it (nil when none has it).
    public func recall(_ k: Int) -> Double? {
        let c = counts(k)
        return c.actual == 0 ? nil : Double(c.hits) / Double(c.actual)
    }

    /// The harmonic mean of precision and recall (0 when both are 0; nil when either is undefined).
    public func f1(_ k: Int) -> Double? {
        guard let p = precision(k), let r = recall(k) else { return nil }
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The unweighted mean over every label, a label where `metric` is undefined counting 0
    /// (scikit-learn's `average="macro"` on indicator targets, `zero_division=0`).
    public func macro(_ metric: (Int) -> Double?) -> Double? {
        labelNames.isEmpty ? nil : labelNames.indices.reduce(0) { $0 + (metric($1) ?? 0) } / Double(labelNames.count)
    }

    /// The fraction of examples whose every label is predicted right.
    public var subsetAccuracy: Double {
        let right = (0..<actual.cols).filter { j in (0..<actual.rows).allSatisfy { predictions[$0, j] == actual[$0, j] }
        }
        return Double(right.count) / Double(actual.cols)
    }

    /// The fraction of the L·m label entries predicted wrong.
    public var hammingLoss: Double {
        Double(zip(predictions.scalars, actual.scalars).filter { $0 != $1 }.count) / Double(actual.scalars.count)
    }

    /// Per label: examples with it, precision, recall and F1, then the macro averages; header first.
    public var perLabelTable: [[String]] {
        func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
        return [["label", "positives", "precision", "recall", "F1"]]
            + labelNames.indices.map {
                [labelNames[$0], "\(counts($0).actual)", format(precision($0)), format(recall($0)), format(f1($0))]
            }
            + [["macro average", "", format(macro(precision)), format(macro(recall)), format(macro(f1))]]
    }

    /// Subset accuracy, Hamming loss and log loss, as lines.
    public var summaryLines: [String] {
        var lines = [
            "Subset accuracy: \(subsetAccuracy)  (every label right)",
            "Hamming loss: \(String(format: "%.6f", hammingLoss))  (label entries wrong)",
            "Log loss: \(String(format: "%.6f", logLoss))",
        ]
        if threshold != 0.5 { lines.append("Threshold: \(threshold) on each label's probability") }
        return lines
    }

    /// The figures as a JSON object.
    public var jsonObject: [String: Any] {
        return [
            "task": "multilabel", "examples": exampleCount, "subset_accuracy": subsetAccuracy,
            "hamming_loss": hammingLoss, "log_loss": jsonNumber(logLoss), "threshold": threshold,
            "labels": labelNames.indices.map {
                [
                    "name": labelNames[$0], "positives": counts($0).actual, "precision": jsonNumber(precision($0)),
                    "recall": jsonNumber(recall($0)), "f1": jsonNumber(f1($0)),
                ]
            },
        ]
    }
}
