import Foundation
import Testing

@testable import DNN

/// Balanced class weights against scikit-learn: a network of no hidden layer (logistic
/// regression) trained with the weighted cost and L2 λ = 1 reaches the minimum of
/// `LogisticRegression(class_weight="balanced", C=1)` on an imbalanced subset of breast cancer
/// (`Reference/class-weight-reference.json`, from `scripts/make-weight-references.py`).
@Suite(
    "Class weights against scikit-learn's LogisticRegression",
    .enabled(if: SharedData.hasRealData, "../shared/data/real is missing; skipped"))
struct ClassWeightReferenceTests {
    struct Expected: Decodable {
        let rows: [Int]
        let counts: [Int]
        let class_weights: [Double]
        let coefficients: [Double]
        let intercept: Double
    }

    @Test("balanced weights: scikit-learn's weights, and its coefficients at the minimum")
    func logisticRegression() throws {
        let url = Reference.directory.appendingPathComponent("class-weight-reference.json")
        let reference = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
        let data = try Dataset.load(SharedData.path("real/breast_cancer_train.csv")).subset(reference.rows)
        let labels = data.Y.scalars.map { Int($0) }
        let counts = [0, 1].map { c in labels.filter { $0 == c }.count }
        #expect(counts == reference.counts)
        // m / (K · count), scikit-learn's "balanced".
        let byClass = counts.map { Double(labels.count) / (2 * Double($0)) }
        #expect(zip(byClass, reference.class_weights).allSatisfy { abs($0 - $1) < 1e-12 })
        let X = Standardization(fitting: data.features).apply(data.X)
        var model = try DeepNeuralNetwork(
            network: Network(inputs: 30, hidden: [], head: .sigmoid, outputs: 1), initialization: .zeros, task: nil)
        try model.train(
            FeatureMatrix(X), data.Y, weights: labels.map { byClass[$0] },
            options: TrainingOptions(learningRate: 2, iterations: 30000, l2: 1))
        let W = model.parameters.W(1).scalars, b = model.parameters.b(1).scalars[0]
        let largest = reference.coefficients.map(abs).max()!
        let worst = zip(W, reference.coefficients).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-6 * largest, "coefficients differ by \(worst) (largest \(largest))")
        #expect(abs(b - reference.intercept) < 1e-6 * largest, "intercept \(b), scikit-learn's \(reference.intercept)")
    }
}
