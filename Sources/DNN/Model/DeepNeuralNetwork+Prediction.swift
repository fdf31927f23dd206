extension DeepNeuralNetwork {
    /// X as the first layer takes it: standardised when the model has a standardisation.
    func prepared(_ X: Matrix) -> Matrix { standardization?.apply(X) ?? X }

    /// The outputs and the decisions they give. For classification: the probabilities AL (1×m for
    /// one sigmoid unit: the probability of class 1; K×m for softmax) and the labels (1×m: AL >
    /// `threshold` for one sigmoid unit, else the most probable class). For multi-label: the L×m
    /// probabilities and their 0/1 indicators above `threshold`. For regression: the k×m predicted
    /// values on the targets' own scale, twice. X is raw: the model's standardisation, if any, is
    /// applied here.
    public func predict(_ X: Matrix, threshold: Double = 0.5) throws -> (probabilities: Matrix, labels: Matrix) {
        try predict(FeatureMatrix(X), threshold: threshold)
    }

    /// The same for features in any form: run on the engine's layer loop in the model's
    /// precision (the one it was trained in; float64 for a model never trained), a block of
    /// examples at a time.
    public func predict(_ X: FeatureMatrix, threshold: Double = 0.5) throws -> (
        probabilities: Matrix, labels: Matrix
    ) {
        try checkInput(X)
        try ResourceLimits.require(
            ResourceLimits.bytes([layerSizes.last!, X.examples, 2], each: 8),
            for: "predicting \(X.examples) examples through \(elided("\(layerSizes)"))")
        let outputs =
            predictionPrecision == .float64
            ? Predictor<Double>(model: self).outputs(X) : Predictor<Float>(model: self).outputs(X)
        guard !outputs.scalars.contains(where: \.isNaN) else {
            throw DNNError("the model's output is NaN for this data: its parameters cannot predict")
        }
        let values = targetStandardization?.restore(outputs) ?? outputs
        return (values, task.decisions(values, threshold: threshold))
    }

    /// The precision predictions run in: the model's training precision, float64 for a model
    /// never trained.
    public var predictionPrecision: Precision { training?.precision ?? .float64 }

    /// X with its rows in the model's feature order. The data's feature names must be the model's:
    /// in the same order, or in any order when `byName` (then rows are picked by name and other
    /// columns left out). Models and data without names are taken as they are.
    public func aligned(_ data: Dataset, byName: Bool = false, source: String = "data") throws -> Matrix {
        guard let expected = featureNames, let given = data.featureNames, expected != given else { return data.X }
        let missing = expected.filter { !given.contains($0) }
        guard missing.isEmpty else {
            throw DNNError(
                "\(source): no column named \(elided(missing.prefix(3).map { "'\($0)'" }.joined(separator: ", "))) (the model's features)"
            )
        }
        guard byName || given.count == expected.count else {
            let extra = given.filter { !expected.contains($0) }
            throw DNNError(
                "\(source): columns the model does not take: \(elided(extra.prefix(3).joined(separator: ", "))); "
                    + "pass --match-columns by-name to leave them out")
        }
        guard byName else {
            let first = zip(given, expected).enumerated().first { $0.element.0 != $0.element.1 }!
            throw DNNError(
                "\(source): columns in another order than the model's (column \(first.offset + 1) is "
                    + "'\(elided(first.element.0))', the model's is '\(elided(first.element.1))'); pass --match-columns by-name to reorder"
            )
        }
        let rows = expected.map { given.firstIndex(of: $0)! }
        let X = data.X
        return Matrix(
            rows: rows.count, cols: X.cols, scalars: rows.flatMap { X.scalars[$0 * X.cols..<($0 + 1) * X.cols] })
    }

    /// The fraction of examples whose prediction equals Y's: the class (Y 1×m), or for multi-label
    /// every label (subset accuracy, Y L×m). Regression has no accuracy: it throws.
    public func accuracy(_ X: Matrix, _ Y: Matrix) throws -> Double {
        try accuracy(FeatureMatrix(X), Y)
    }

    /// The same for features in any form (see `predictedClasses`).
    public func accuracy(_ X: FeatureMatrix, _ Y: Matrix) throws -> Double {
        switch task.kind {
        case .regression: throw DNNError("a regression model has no accuracy; its metrics are R², RMSE and MAE")
        case .multilabel:
            try checkTargets(Y, examples: X.examples)
            let decisions = try predict(X).labels
            let correct = (0..<Y.cols).filter { j in (0..<Y.rows).allSatisfy { Y[$0, j] == decisions[$0, j] } }.count
            return Double(correct) / Double(Y.cols)
        case .classification: break
        }
        guard Y.rows == 1, Y.cols == X.examples else {
            throw DNNError("labels of shape \(Y.shapeDescription) do not match \(X.examples) examples")
        }
        let correct = zip(try predictedClasses(X), Y.scalars).filter { Double($0) == $1 }.count
        return Double(correct) / Double(Y.cols)
    }

    /// The predicted class of every example (for two classes, 1 where its probability is above
    /// `threshold`), on the engine's layer loop a block at a time: a wide output (100,000
    /// classes) holds one block's probabilities, not all of them.
    public func predictedClasses(_ X: FeatureMatrix, threshold: Double = 0.5) throws -> [Int] {
        guard task.kind == .classification else {
            throw DNNError("a \(task.kind.rawValue) model predicts no classes")
        }
        try checkInput(X)
        let classes =
            predictionPrecision == .float64
            ? Predictor<Double>(model: self).classes(X, threshold: threshold)
            : Predictor<Float>(model: self).classes(X, threshold: threshold)
        guard let classes else {
            throw DNNError("the model's output is NaN for this data: its parameters cannot predict")
        }
        return classes
    }
}
