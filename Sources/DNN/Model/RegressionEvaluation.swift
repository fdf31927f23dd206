import Foundation

/// How a regression model does on data with targets, per target and on average: R² (the
/// fraction of the target's variance explained: 1 − Σ(y − ŷ)²/Σ(y − ȳ)²), the root mean squared
/// error and the mean absolute error, all on the targets' own scale.
public struct RegressionEvaluation: Sendable {
    /// The targets' names, in the order of Y's rows.
    public let targetNames: [String]
    /// The predictions ŷ (k×m), on the targets' scale.
    public let predictions: Matrix
    /// The targets y (k×m), as the data holds them (rows in the model's order).
    public let actual: Matrix

    /// Predicts every example of `data` and compares with its targets, matched to the model's
    /// by name. `X` replaces the data's features (already in the model's column order, say).
    public init(model: DeepNeuralNetwork, data: Dataset, source: String = "data", X: Matrix? = nil) throws {
        guard model.task.kind == .regression else {
            throw DNNError("a \(model.task.kind.rawValue) model is not measured by R², RMSE and MAE")
        }
        let data = try data.relabeled(for: model.task, of: "the model", source: source)
        let X = X ?? data.X
        try model.checkInput(X, source: source)
        try model.checkTargets(data.Y, examples: data.exampleCount, source: source)
        predictions = try model.predict(X).probabilities
        actual = data.Y
        targetNames = model.task.names
    }

    /// m, the examples evaluated.
    public var exampleCount: Int { actual.cols }

    /// Target k's values and predictions.
    private func row(_ k: Int) -> (y: ArraySlice<Double>, p: ArraySlice<Double>) {
        let range = k * actual.cols..<(k + 1) * actual.cols
        return (actual.scalars[range], predictions.scalars[range])
    }

    /// 1 − Σ(y − ŷ)²/Σ(y − ȳ)² for target k; nil when the target is constant in the data.
    public func r2(_ k: Int) -> Double? {
        let (y, p) = row(k)
        let mean = y.reduce(0, +) / Double(y.count)
        let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard total > 0 else { return nil }
        return 1 - zip(y, p).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / total
    }

    /// √((1/m)·Σ(y − ŷ)²) for target k.
    public func rmse(_ k: Int) -> Double {
        let (y, p) = row(k)
        return (zip(y, p).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(y.count)).squareRoot()
    }

    /// (1/m)·Σ|y − ŷ| for target k.
    public func mae(_ k: Int) -> Double {
        let (y, p) = row(k)
        return zip(y, p).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(y.count)
    }

    /// The mean of `metric` over the targets where it is defined.
    public func mean(_ metric: (Int) -> Double?) -> Double? {
        let values = targetNames.indices.compactMap(metric)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Per target: R², RMSE and MAE, then their means over the targets; header first.
    public var perTargetTable: [[String]] {
        func format(_ value: Double?) -> String { value.map { String(format: "%.6g", $0) } ?? "-" }
        var rows = [["target", "R²", "RMSE", "MAE"]]
        rows += targetNames.indices.map { [targetNames[$0], format(r2($0)), format(rmse($0)), format(mae($0))] }
        if targetNames.count > 1 {
            rows.append(["mean", format(mean(r2)), format(mean(rmse)), format(mean(mae))])
        }
        return rows
    }

    /// The means over the targets, as lines.
    public var summaryLines: [String] {
        func format(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "- (a constant target)" }
        let scope = targetNames.count == 1 ? "" : " (mean of \(targetNames.count) targets)"
        return [
            "R²: \(format(mean(r2)))\(scope)", "RMSE: \(format(mean(rmse)))", "MAE: \(format(mean(mae)))",
            "Examples: \(exampleCount)",
        ]
    }

    /// The figures as a JSON object: examples, the means, and each target's.
    public var jsonObject: [String: Any] {
        func value(_ x: Double?) -> Any { x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
        return [
            "task": "regression", "examples": exampleCount, "r2": value(mean(r2)), "rmse": value(mean(rmse)),
            "mae": value(mean(mae)),
            "targets": targetNames.indices.map {
                ["name": targetNames[$0], "r2": value(r2($0)), "rmse": value(rmse($0)), "mae": value(mae($0))]
            },
        ]
    }
}
