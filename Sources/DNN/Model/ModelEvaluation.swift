import Foundation

/// A model measured on data by its task's own figures: a classifier's accuracy and confusion
/// matrix, a regression's R², RMSE and MAE, a multi-label model's per-label measures.
public enum ModelEvaluation: Sendable {
    /// A classifier's accuracy, confusion matrix and per-class measures.
    case classification(Evaluation)
    /// A regression's R², RMSE and MAE per target.
    case regression(RegressionEvaluation)
    /// A multi-label model's subset accuracy, Hamming loss and per-label measures.
    case multilabel(MultilabelEvaluation)

    /// Predicts every example of `data` with `model` and measures it as the model's task asks.
    /// `X` replaces the data's features; `threshold` decides class 1 or a label.
    public init(
        model: DeepNeuralNetwork, data: Dataset, source: String = "data", X: Matrix? = nil, threshold: Double = 0.5
    ) throws {
        switch model.task.kind {
        case .classification:
            self = .classification(try Evaluation(model: model, data: data, source: source, X: X, threshold: threshold))
        case .regression: self = .regression(try RegressionEvaluation(model: model, data: data, source: source, X: X))
        case .multilabel:
            self = .multilabel(
                try MultilabelEvaluation(model: model, data: data, source: source, X: X, threshold: threshold))
        }
    }

    /// The headline figures, as lines.
    public var summaryLines: [String] {
        switch self {
        case .classification(let e): e.summaryLines
        case .regression(let e): e.summaryLines
        case .multilabel(let e): e.summaryLines
        }
    }

    /// The tables to show after the summary (rows, header first).
    public var tables: [[[String]]] {
        switch self {
        case .classification(let e): (e.confusionTable.map { [$0] } ?? []) + [e.perClassTable]
        case .regression(let e): [e.perTargetTable]
        case .multilabel(let e): [e.perLabelTable]
        }
    }

    /// The figures as one JSON object (keys sorted), numbers at full precision, null where undefined.
    public func json() throws -> Data {
        let object: [String: Any]
        switch self {
        case .classification(let e): object = e.jsonObject
        case .regression(let e): object = e.jsonObject
        case .multilabel(let e): object = e.jsonObject
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

extension Evaluation {
    /// The figures as a JSON object: accuracy, log loss, ROC-AUC, and each class's measures.
    public var jsonObject: [String: Any] {
        return [
            "task": "classification", "examples": exampleCount, "accuracy": accuracy, "correct": correctCount,
            "log_loss": jsonNumber(logLoss), "roc_auc": jsonNumber(rocAUC), "threshold": threshold,
            "macro": [
                "precision": jsonNumber(macro(precision)), "recall": jsonNumber(macro(recall)),
                "f1": jsonNumber(macro(f1)),
            ],
            "weighted": [
                "precision": jsonNumber(weighted(precision)), "recall": jsonNumber(weighted(recall)),
                "f1": jsonNumber(weighted(f1)),
            ],
            "classes": (0..<classCount).map {
                [
                    "name": classNames[$0], "examples": actualCount($0), "correct": count(actual: $0, predicted: $0),
                    "precision": jsonNumber(precision($0)), "recall": jsonNumber(recall($0)), "f1": jsonNumber(f1($0)),
                ]
            },
        ]
    }
}
