import Foundation
import Testing

@testable import DNN

/// Prediction runs on the engine's layer loop; the course's step functions are the reference it
/// is held to.
@Suite("Prediction on the layer loop equals the step functions")
struct PredictorTests {
    static let activations: [Activation] = [.relu, .tanh, .sigmoid, .identity, .leakyReLU(slope: 0.2)]

    @Test(
        "every activation and head, standardised input: float64 to 1e-12, float32 to 1e-5",
        arguments: activations.indices, [2, 4])
    func equalsStepFunctions(activation: Int, classes: Int) throws {
        var rng = NumPyRandom(seed: 7)
        let network = Network(
            inputs: 6, hidden: [Layer(units: 5, activation: Self.activations[activation]), Layer(units: 3)],
            head: .forClasses(classes), classes: classes)
        var model = try DeepNeuralNetwork(network: network, initialization: .he, seed: 4)
        let X = rng.randn(6, 37) * 3 + 1
        model.standardization = Standardization(fitting: X)
        let expected = lModelForward(
            model.standardization!.apply(X), model.parameters, activations: network.activations, head: network.head
        ).AL
        let double = Predictor<Double>(model: model).outputs(FeatureMatrix(X))
        let float = Predictor<Float>(model: model).outputs(FeatureMatrix(X))
        let scale = expected.scalars.map(abs).max()!
        #expect(zip(double.scalars, expected.scalars).map { abs($0 - $1) }.max()! <= 1e-12 * scale)
        #expect(zip(float.scalars, expected.scalars).map { abs($0 - $1) }.max()! <= 1e-5 * scale)
    }

    /// A layer wide enough that a block holds fewer examples than the data: the blocks' outputs
    /// and classes are those of one pass over all of it.
    @Test("outputs and classes over several blocks equal the step functions over all examples")
    func blocks() throws {
        var rng = NumPyRandom(seed: 8)
        let model = try DeepNeuralNetwork(
            network: Network(inputs: 3, hidden: [Layer(units: 40_000)], head: .softmax, classes: 3),
            initialization: .he,
            seed: 1)
        let size = Predictor<Double>.blockSize(layerSizes: model.layerSizes)
        let X = rng.randn(3, 2 * size + 5)
        #expect(size < X.cols / 2, "three blocks")
        let expected = lModelForward(X, model.parameters, activations: [.relu], head: .softmax).AL
        let outputs = Predictor<Double>(model: model).outputs(FeatureMatrix(X))
        #expect(zip(outputs.scalars, expected.scalars).map { abs($0 - $1) }.max()! <= 1e-12)
        #expect(try model.predictedClasses(FeatureMatrix(X)) == model.task.decisions(expected).scalars.map { Int($0) })
    }
}
