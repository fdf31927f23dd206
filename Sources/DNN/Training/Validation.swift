/// Held-out examples watched during training: their cost (and accuracy) after every pass, and,
/// with a patience, early stopping: training stops when the validation cost has not improved
/// for `patience` passes, and the parameters of the best pass are restored.
///
/// Shapes: X is n[0]×mv (raw: the model's standardisation is applied as for prediction), Y 1×mv.
public struct Validation: Sendable {
    /// The examples' features, n[0]×mv, raw.
    public var X: Matrix
    /// Their labels, 1×mv class indices.
    public var Y: Matrix
    /// Passes without improvement before training stops; nil never stops.
    public var patience: Int?
    /// Each example's weight in the validation cost (its weighted mean), when weighted.
    public var weights: [Double]?

    /// Validation on (X, Y), with early stopping after `patience` passes without improvement (none
    /// by default), the cost weighted by `weights` when given.
    public init(X: Matrix, Y: Matrix, patience: Int? = nil, weights: [Double]? = nil) {
        self.X = X
        self.Y = Y
        self.patience = patience
        self.weights = weights
    }
}

/// What the progress callback tells training: go on, or stop after this pass (keeping the
/// parameters as they are).
public enum TrainingDecision: Sendable {
    /// Go on to the next pass.
    case proceed
    /// Stop after this pass.
    case stop
}
