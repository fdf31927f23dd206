extension ModelEvaluation {
    /// The headline figures as (name, value) pairs, for cross-validation and search: a
    /// classifier's accuracy, macro F1 and log loss; a regression's R², RMSE and MAE (means over
    /// its targets); a multi-label model's subset accuracy, Hamming loss and macro F1. The first is
    /// the one a search ranks by (higher is better for each first). nil: undefined (R² of a
    /// constant target).
    public var scores: [(name: String, value: Double?)] {
        switch self {
        case .classification(let e):
            [("accuracy", e.accuracy), ("macro_f1", e.macro(e.f1)), ("log_loss", e.logLoss)]
        case .regression(let e):
            [("r2", e.mean(e.r2)), ("rmse", e.mean(e.rmse)), ("mae", e.mean(e.mae))]
        case .multilabel(let e):
            [("subset_accuracy", e.subsetAccuracy), ("hamming_loss", e.hammingLoss), ("macro_f1", e.macro(e.f1))]
        }
    }
}
