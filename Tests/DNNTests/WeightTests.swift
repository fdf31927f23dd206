import Foundation
import Testing

@testable import DNN

/// Weighted examples: the weighted mean loss Σ w·loss / Σ w and its gradient. An example of weight
/// 3 counts as three copies of it, and a constant weight changes nothing; bad weights are refused.
@Suite("Weighted examples")
struct WeightTests {
    static func problem() -> (X: Matrix, Y: Matrix, weights: [Double]) {
        var rng = NumPyRandom(seed: 21)
        let X = rng.randn(4, 40)
        let Y = Matrix(rows: 1, cols: 40, scalars: (0..<40).map { Double($0 % 3) })
        let weights = (0..<40).map { _ in Double(Int(rng.uniform() * 4)) }
        return (X, Y, weights)
    }

    static func model() throws -> DeepNeuralNetwork {
        try DeepNeuralNetwork(
            network: Network(inputs: 4, hidden: [Layer(units: 5, activation: .tanh)], head: .softmax, outputs: 3),
            initialization: .he, seed: 3, task: nil)
    }

    @Test("weights 0–3 train as duplicated examples: every cost and parameter, full batches with L2")
    func duplicates() throws {
        let (X, Y, weights) = Self.problem()
        let options = TrainingOptions(learningRate: 0.1, iterations: 60, l2: 0.2, reportEvery: 1)
        var weighted = try Self.model()
        let weightedCosts = try weighted.train(FeatureMatrix(X), Y, weights: weights, options: options)
        // Each example as many times as its weight, in order.
        let copies = weights.indices.flatMap { Array(repeating: $0, count: Int(weights[$0])) }
        let Xd = Matrix(rows: 4, cols: copies.count, scalars: (0..<4).flatMap { r in copies.map { X[r, $0] } })
        let Yd = Matrix(rows: 1, cols: copies.count, scalars: copies.map { Y[0, $0] })
        var duplicated = try Self.model()
        let costs = try duplicated.train(Xd, Yd, options: options)
        let worst = zip(weightedCosts, costs).map { abs($0.cost - $1.cost) / $1.cost }.max()!
        #expect(worst < 1e-12, "largest relative cost difference \(worst)")
        #expect(NetworkReferenceTests.difference(weighted.parameters, duplicated.parameters) < 1e-12)
    }

    /// (With L2 it would: its term is over Σ w, as for copies, so weighting every example more
    /// regularises less, as scikit-learn's weighted Ridge and LogisticRegression do.)
    @Test("a constant weight changes nothing, mini-batches with Adam")
    func constant() throws {
        let (X, Y, _) = Self.problem()
        let options = TrainingOptions(
            learningRate: 0.01, iterations: 10, miniBatchSize: 8, optimizer: .courseAdam, reportEvery: 1)
        var plain = try Self.model(), weighted = try Self.model()
        let a = try plain.train(FeatureMatrix(X), Y, options: options)
        let b = try weighted.train(FeatureMatrix(X), Y, weights: Array(repeating: 2.5, count: 40), options: options)
        #expect(zip(a, b).allSatisfy { abs($0.cost - $1.cost) <= 1e-14 * $0.cost })
        #expect(NetworkReferenceTests.difference(plain.parameters, weighted.parameters) < 1e-12)
    }

    @Test(
        "bad weights are refused in one line",
        arguments: [
            ([Double](repeating: 1, count: 39), "training data: 39 weights for 40 examples"),
            (
                [-1] + [Double](repeating: 1, count: 39),
                "training data: the weight of example 0 is -1.0; weights are finite, 0 or more"
            ),
            (
                [1, .nan] + [Double](repeating: 1, count: 38),
                "training data: the weight of example 1 is nan; weights are finite, 0 or more"
            ),
            ([Double](repeating: 0, count: 40), "training data: every weight is 0; at least one example must count"),
        ])
    func refused(weights: [Double], message: String) throws {
        let (X, Y, _) = Self.problem()
        var model = try Self.model()
        #expect(throws: DNNError(message)) {
            try model.train(
                FeatureMatrix(X), Y, weights: weights, options: TrainingOptions(learningRate: 0.1, iterations: 1))
        }
    }
}
