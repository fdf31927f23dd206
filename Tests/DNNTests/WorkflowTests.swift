import Foundation
import Testing

@testable import DNN

/// What real data needs: standardisation kept with the model, validation with early stopping,
/// training that continues where it stopped, a stratified split, metrics, columns by name.
@Suite("Real data: standardisation, validation, early stopping, resume, metrics")
struct WorkflowTests {
    /// Two features on very different scales (around 1000 and around 0.01), two classes.
    static func unscaled(_ m: Int = 120, seed: UInt32 = 3) -> Dataset {
        var rng = NumPyRandom(seed: seed)
        let noise = rng.randn(2, m)
        var features = [Double](repeating: 0, count: 2 * m), labels = [Double]()
        for j in 0..<m {
            let c = Double(j % 2)
            features[j] = 1000 + 300 * c + 100 * noise[0, j]
            features[m + j] = 0.01 + 0.02 * c + 0.01 * noise[1, j]
            labels.append(c)
        }
        var data = try! Dataset(
            X: Matrix(rows: 2, cols: m, scalars: features), Y: Matrix(rows: 1, cols: m, scalars: labels),
            source: "unscaled")
        data.featureNames = ["size", "ratio"]
        return data
    }

    @Test("standardisation: numpy's mean and population deviation, a constant feature scaled by 1")
    func standardization() {
        let X = Matrix([[1, 2, 3, 4], [5, 5, 5, 5], [-2, 0, 2, 0]])
        let fitted = Standardization(fitting: X)
        // numpy: X.mean(axis=1) = [2.5, 5, 0]; X.std(axis=1) = [1.118033988749895, 0, 1.4142135623730951]
        #expect(fitted.mean == [2.5, 5, 0])
        #expect(abs(fitted.scale[0] - 1.118033988749895) < 1e-15 && fitted.scale[1] == 1)
        #expect(abs(fitted.scale[2] - 1.4142135623730951) < 1e-15)
        let applied = fitted.apply(X)
        #expect(applied[1, 0] == 0 && abs(applied[0, 0] + 1.3416407864998738) < 1e-15)
        #expect(Standardization.looksUnscaled(Self.unscaled().X))
        #expect(!Standardization.looksUnscaled(applied))
    }

    @Test("a model trained on standardised data applies its standardisation to raw inputs, and keeps it in its file")
    func standardizedModel() throws {
        let data = Self.unscaled()
        var model = try DeepNeuralNetwork(layerSizes: [2, 4, 1], initialization: .he)
        model.standardization = Standardization(fitting: data.X)
        try model.train(data.X, data.Y, learningRate: 0.1, iterations: 300)
        #expect(try model.accuracy(data.X, data.Y) > 0.9)
        // The same as a plain model trained and predicting on the standardised matrix.
        var plain = try DeepNeuralNetwork(layerSizes: [2, 4, 1], initialization: .he)
        let standardized = model.standardization!.apply(data.X)
        try plain.train(standardized, data.Y, learningRate: 0.1, iterations: 300)
        #expect(plain.parameters == model.parameters)
        #expect(try plain.predict(standardized).probabilities == model.predict(data.X).probabilities)
        let path = temporaryDirectory() + "/model.json"
        try model.save(to: path)
        let loaded = try DeepNeuralNetwork(contentsOf: path)
        #expect(loaded.standardization == model.standardization)
        #expect(try loaded.predict(data.X).probabilities == model.predict(data.X).probabilities)
    }

    @Test("validation: the cost after every pass; early stopping keeps the best pass's parameters")
    func earlyStopping() throws {
        let data = Self.unscaled(200)
        let (training, held) = try data.split(validationFraction: 0.25)
        var model = try DeepNeuralNetwork(layerSizes: [2, 30, 20, 1], initialization: .he)
        model.standardization = Standardization(fitting: training.X)
        let history = try model.train(
            training.X, training.Y, options: TrainingOptions(learningRate: 0.5, iterations: 3000, reportEvery: 50),
            validation: Validation(X: held.X, Y: held.Y, patience: 30))
        let record = model.training!
        let validationCosts = record.validationHistory!
        #expect(validationCosts.count == record.history!.count)
        #expect(record.stopReason?.hasPrefix("early stopping") == true)
        #expect(record.history!.count < 3000)
        let best = validationCosts.indices.min { validationCosts[$0] < validationCosts[$1] }!
        #expect(record.restoredPass == best)
        #expect(validationCosts.count - 1 - best == 30, "stops 30 passes after the best")
        #expect(history.last!.validationCost == validationCosts.last)
        // The kept parameters are the best pass's: their validation cost is the best one.
        let probabilities = try model.predict(held.X).probabilities
        #expect(abs(SigmoidCrossEntropy().cost(probabilities, held.Y) - validationCosts[best]) < 1e-12)
    }

    @Test("the progress callback can stop training; a second call continues the pass numbers and the history")
    func stopAndContinue() throws {
        let flower = Dataset.flower()
        var model = try DeepNeuralNetwork(layerSizes: [2, 5, 1], initialization: .he)
        try model.train(
            flower.X, flower.Y, options: TrainingOptions(learningRate: 0.1, iterations: 100),
            progress: { $0.iteration == 41 ? .stop : .proceed })
        #expect(model.training?.iterations == 42)
        #expect(model.training?.stopReason == "stopped by the caller after iteration 41")
        let second = try model.train(
            flower.X, flower.Y, options: TrainingOptions(learningRate: 0.1, iterations: 18, reportEvery: 10))
        #expect(second.map(\.iteration) == [42, 52, 59])
        #expect(model.training?.iterations == 60 && model.training?.history?.count == 60)
        // The same as one run of 60.
        var straight = try DeepNeuralNetwork(layerSizes: [2, 5, 1], initialization: .he)
        try straight.train(flower.X, flower.Y, options: TrainingOptions(learningRate: 0.1, iterations: 60))
        #expect(straight.parameters == model.parameters)
        #expect(straight.training?.history == model.training?.history)
    }

    @Test("the validation split is stratified, seeded, and keeps the order")
    func split() throws {
        let data = Self.unscaled(100)
        let (training, held) = try data.split(validationFraction: 0.2)
        #expect(held.exampleCount == 20 && training.exampleCount == 80)
        #expect(held.Y.scalars.filter { $0 == 1 }.count == 10)
        let again = try data.split(validationFraction: 0.2).validation
        #expect(again.X == held.X)
        #expect(held.featureNames == ["size", "ratio"])
        #expect(throws: DNNError("validation fraction 1.5: must be between 0 and 1")) {
            try data.split(validationFraction: 1.5)
        }
    }

    /// Against scikit-learn's definitions, worked by hand on eight examples.
    @Test("metrics: precision, recall, F1, macro averages, ROC-AUC with ties, log loss, threshold")
    func metrics() throws {
        // One feature whose value is the probability of class 1 through an identity-like model:
        // W = [[1]], b = 0, sigmoid(logit(p)) = p.
        let p = [0.9, 0.8, 0.7, 0.4, 0.6, 0.3, 0.2, 0.4]
        let y: [Double] = [1, 1, 1, 1, 0, 0, 0, 0]
        let X = Matrix(rows: 1, cols: 8, scalars: p.map { log($0 / (1 - $0)) })
        let model = try DeepNeuralNetwork(
            parameters: Parameters(layers: [LayerParameters(W: Matrix([[1]]), b: Matrix([[0]]))]))
        let data = try Dataset(X: X, Y: Matrix(rows: 1, cols: 8, scalars: y), source: "metrics")
        let e = try Evaluation(model: model, data: data)
        #expect(e.counts == [[3, 1], [1, 3]])
        #expect(e.precision(1) == 0.75 && e.recall(1) == 0.75 && e.f1(1) == 0.75)
        #expect(e.macro(e.f1) == 0.75)
        // sklearn.metrics.roc_auc_score: 14.5 of 16 pairs ranked right (one tie at 0.4 counts half).
        #expect(e.rocAUC == 14.5 / 16)
        let expectedLogLoss = -zip(p, y).map { $1 == 1 ? log($0) : log(1 - $0) }.reduce(0, +) / 8
        #expect(abs(e.logLoss - expectedLogLoss) < 1e-12)
        let lenient = try Evaluation(model: model, data: data, threshold: 0.35)
        #expect(lenient.counts == [[2, 2], [0, 4]])
        #expect(lenient.rocAUC == e.rocAUC)
        // Saturated right answers cost 0, not NaN (0·log 0 counts as 0).
        let sure = try DeepNeuralNetwork(
            parameters: Parameters(layers: [LayerParameters(W: Matrix([[1000]]), b: Matrix([[0]]))]))
        let saturated = try Evaluation(
            model: sure, data: try Dataset(X: Matrix([[1, -1]]), Y: Matrix([[1, 0]]), source: "sure"))
        #expect(saturated.logLoss == 0)
    }

    @Test("a cost curve with infinite costs says how many it leaves out")
    func infiniteCosts() {
        let plot = CostCurvePlot(
            runs: [
                .init(
                    label: "training",
                    costs: [
                        CostRecord(iteration: 0, cost: .infinity), CostRecord(iteration: 1, cost: 0.5),
                        CostRecord(iteration: 2, cost: 0.4),
                    ])
            ], learningRate: 0.1)
        #expect(plot.svg().contains("1 of the costs are infinite (a saturated wrong output) and are not drawn"))
    }

    @Test("columns are checked by name: reordered columns are refused, or matched by name")
    func columnsByName() throws {
        var model = try DeepNeuralNetwork(layerSizes: [2, 3, 1])
        model.featureNames = ["size", "ratio"]
        var data = Self.unscaled(4)
        #expect(try model.aligned(data) == data.X)
        data.featureNames = ["ratio", "size"]
        data.X = Matrix(rows: 2, cols: 4, scalars: Array(data.X.scalars[4...]) + Array(data.X.scalars[..<4]))
        #expect(
            throws: DNNError(
                "d.csv: columns in another order than the model's (column 1 is 'ratio', the model's is 'size'); pass --match-columns by-name to reorder"
            )
        ) { try model.aligned(data, source: "d.csv") }
        #expect(try model.aligned(data, byName: true) == Self.unscaled(4).X)
        data.featureNames = ["ratio", "width"]
        #expect(throws: DNNError("d.csv: no column named 'size' (the model's features)")) {
            try model.aligned(data, byName: true, source: "d.csv")
        }
    }
}
