/// How a model does on labelled data: accuracy, the confusion matrix, per-class precision and
/// recall, and the examples it gets wrong.
public struct Evaluation: Sendable {
    /// The names of classes 0…K−1.
    public let classNames: [String]
    /// `counts[actual][predicted]`, K×K.
    public let counts: [[Int]]
    /// Indices of the examples whose predicted label is not their label.
    public let mislabeled: [Int]
    /// The predicted labels, one per example.
    public let predictions: [Int]

    /// Predicts every example of `data` and compares with its labels. Class names come from the
    /// data when it has its own, else from the model. Labels the model does not know are an error.
    public init(model: DeepNeuralNetwork, data: Dataset, source: String = "data") throws {
        try model.checkInput(data.X, source: source)
        try model.checkLabels(data.Y, examples: data.exampleCount, source: source)
        predictions = try model.predict(data.X).labels.scalars.map { Int($0) }
        let classes = model.network.classes
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        var mislabeled = [Int]()
        for (index, (predicted, actual)) in zip(predictions, data.Y.scalars.map { Int($0) }).enumerated() {
            counts[actual][predicted] += 1
            if predicted != actual { mislabeled.append(index) }
        }
        self.counts = counts
        self.mislabeled = mislabeled
        let numbered = (0..<data.classCount).map(String.init)
        classNames = data.classNames == numbered || data.classCount != classes ? model.classNames : data.classNames
    }

    public var exampleCount: Int { predictions.count }
    public var classCount: Int { counts.count }
    public var correctCount: Int { (0..<classCount).reduce(0) { $0 + counts[$1][$1] } }
    /// The fraction of examples predicted correctly.
    public var accuracy: Double { Double(correctCount) / Double(exampleCount) }

    /// Examples of class c in the data.
    public func actualCount(_ c: Int) -> Int { counts[c].reduce(0, +) }
    /// Examples predicted as class c.
    public func predictedCount(_ c: Int) -> Int { counts.reduce(0) { $0 + $1[c] } }
    /// Of the examples predicted as c, the fraction that are c (nil when none is predicted c).
    public func precision(_ c: Int) -> Double? {
        predictedCount(c) == 0 ? nil : Double(counts[c][c]) / Double(predictedCount(c))
    }
    /// Of the examples of class c, the fraction predicted c (nil when the data has none).
    public func recall(_ c: Int) -> Double? {
        actualCount(c) == 0 ? nil : Double(counts[c][c]) / Double(actualCount(c))
    }

    /// The confusion matrix as table rows, header first: actual classes down, predicted across.
    public var confusionTable: [[String]] {
        [[""] + classNames.map { "predicted \($0)" }]
            + (0..<classCount).map { c in ["actual \(classNames[c])"] + counts[c].map(String.init) }
    }

    /// Per class: examples, correct, precision and recall, header first.
    public var perClassTable: [[String]] {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }
        return [["class", "examples", "correct", "precision", "recall"]]
            + (0..<classCount).map { c in
                [classNames[c], "\(actualCount(c))", "\(counts[c][c])", percent(precision(c)), percent(recall(c))]
            }
    }
}
