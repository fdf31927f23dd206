/// How a model does on labelled data: accuracy, the confusion matrix and the examples it gets wrong.
public struct Evaluation: Sendable {
    /// The name of class 0 and of class 1.
    public let classNames: [String]
    /// `counts[actual][predicted]`, for labels 0 and 1.
    public let counts: [[Int]]
    /// Indices of the examples whose predicted label is not their label.
    public let mislabeled: [Int]
    /// The predicted labels, one per example.
    public let predictions: [Int]

    /// Predicts every example of `data` and compares with its labels. Class names come from the
    /// data when it has its own, else from the model.
    public init(model: DeepNeuralNetwork, data: Dataset, source: String = "data") throws {
        try model.checkInput(data.X, source: source)
        predictions = try model.predict(data.X).labels.scalars.map { Int($0) }
        var counts = [[0, 0], [0, 0]]
        var mislabeled = [Int]()
        for (index, (predicted, actual)) in zip(predictions, data.Y.scalars.map { Int($0) }).enumerated() {
            counts[actual][predicted] += 1
            if predicted != actual { mislabeled.append(index) }
        }
        self.counts = counts
        self.mislabeled = mislabeled
        classNames = data.classNames == ["0", "1"] ? model.classNames : data.classNames
    }

    public var exampleCount: Int { predictions.count }
    public var correctCount: Int { counts[0][0] + counts[1][1] }
    /// The fraction of examples predicted correctly.
    public var accuracy: Double { Double(correctCount) / Double(exampleCount) }
}
