extension ModelEvaluation {
    /// The headline figures as (name, value) pairs, for cross-validation and search: a
    /// classifier's accuracy, macro F1 and log loss; a regression's R², RMSE and MAE (means over
    /// its targets); a multi-label model's subset accuracy, Hamming loss and macro F1, named as
    /// `scoreNames(for:)` says. nil: undefined (R² of a constant target).
    public var scores: [(name: String, value: Double?)] {
        switch self {
        case .classification(let e):
            zip(Self.scoreNames(for: .classification), [e.accuracy, e.macro(e.f1), e.logLoss]).map { ($0, $1) }
        case .regression(let e):
            zip(Self.scoreNames(for: .regression), [e.mean(e.r2), e.mean(e.rmse), e.mean(e.mae)]).map { ($0, $1) }
        case .multilabel(let e):
            zip(Self.scoreNames(for: .multilabel), [e.subsetAccuracy, e.hammingLoss, e.macro(e.f1)]).map { ($0, $1) }
        }
    }

    /// The names of a task's three scores, in order; the first is the one a search ranks by
    /// unless told otherwise.
    public static func scoreNames(for kind: TaskKind) -> [String] {
        switch kind {
        case .classification: ["accuracy", "macro_f1", "log_loss"]
        case .regression: ["r2", "rmse", "mae"]
        case .multilabel: ["subset_accuracy", "hamming_loss", "macro_f1"]
        }
    }

    /// Whether a larger value of score `name` is better (accuracy, F1, R²) or worse (a loss, an error).
    public static func higherIsBetter(_ name: String) -> Bool {
        !["log_loss", "rmse", "mae", "hamming_loss"].contains(name)
    }
}
