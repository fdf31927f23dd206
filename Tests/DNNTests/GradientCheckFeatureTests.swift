import Foundation
import Testing

@testable import DNN

@Suite("Gradient checking as a feature")
struct GradientCheckFeatureTests {
    static func problem() -> (DeepNeuralNetwork, Matrix, Matrix) {
        var rng = NumPyRandom(seed: 8)
        let X = rng.randn(3, 40)
        let Y = rng.rand(1, 40).map { $0 < 0.5 ? 0 : 1 }
        return (try! DeepNeuralNetwork(layerSizes: [3, 6, 4, 1], initialization: .he), X, Y)
    }

    @Test(
        "the engine's backprop passes, plain, with L2 and with dropout",
        arguments: [(0.0, 1.0), (0.7, 1.0), (0.0, 0.8)])
    func passes(l2: Double, keepProb: Double) throws {
        let (model, X, Y) = Self.problem()
        let check = try GradientCheck(model: model, X: X, Y: Y, l2: l2, keepProb: keepProb)
        #expect(check.entries.map(\.name) == ["W1", "b1", "W2", "b2", "W3", "b3"])
        #expect(check.entries.map(\.count) == [18, 6, 24, 4, 4, 1])
        #expect(check.overall < 2e-7)
        #expect(check.kinks == 0)
        #expect(check.verdict.hasPrefix("Your backward propagation works perfectly fine!"))
    }

    /// Every activation under every head, on random small networks with random (nonzero) biases,
    /// plain, with L2 and with dropout: backprop within 1e-7 of centred differences.
    @Test(
        "every activation × head passes the gradient check",
        arguments: ["relu", "leaky-relu", "leaky-relu(0.2)", "tanh", "sigmoid", "identity"], ["sigmoid", "softmax"])
    func everyActivationAndHead(activation: String, head: String) throws {
        var rng = NumPyRandom(seed: 11)
        let classes = head == "sigmoid" ? 2 : 4
        let network = Network(
            inputs: 3,
            hidden: [
                Layer(units: 5, activation: try Activation(parsing: activation)),
                Layer(units: 4, activation: try Activation(parsing: activation)),
            ], head: try OutputHead(parsing: head), classes: classes)
        let sizes = network.layerSizes
        let parameters = Parameters(
            layers: (1..<sizes.count).map { l in
                LayerParameters(W: rng.randn(sizes[l], sizes[l - 1]), b: rng.randn(sizes[l], 1) * 0.5)
            })
        let model = try DeepNeuralNetwork(parameters: parameters, network: network)
        let X = rng.randn(3, 30)
        let Y = rng.rand(1, 30).map { (Double(classes) * $0).rounded(.down) }
        var results = [String]()
        for (l2, keepProb) in [(0.0, 1.0), (0.5, 1.0), (0.0, 0.8)] {
            let check = try GradientCheck(model: model, X: X, Y: Y, l2: l2, keepProb: keepProb)
            #expect(check.kinks == 0)
            #expect(check.overall < 1e-7, "L2 \(l2), keep_prob \(keepProb): \(check.overall)")
            results.append(String(format: "%.2e", check.overall))
        }
        print("gradient check \(activation) × \(head): plain \(results[0]), L2 \(results[1]), dropout \(results[2])")
    }

    @Test("points on a ReLU's kink are counted and qualify the verdict")
    func kinks() throws {
        // Zero biases and flower points near the origin: 41 examples switch off all five first-layer
        // units, so the second layer's pre-activations are exactly b2 = 0 there.
        let flower = Dataset.flower()
        let model = try DeepNeuralNetwork(layerSizes: [2, 5, 3, 1], initialization: .he)
        let check = try GradientCheck(model: model, X: flower.X, Y: flower.Y)
        #expect(check.kinks >= 41 * 3)
        #expect(check.overall > 2e-7)
        #expect(check.verdict.contains("sit on a ReLU's kink"))
    }

    @Test("a backprop that leaves out the L2 term is caught")
    func catchesAMistake() throws {
        let (model, X, Y) = Self.problem()
        let plan = try TrainingPlan(
            layerSizes: model.layerSizes, examples: 40, iterations: 1, precision: .float64, engine: .direct)
        func engine(_ l2: Double) -> TrainingEngine<Double> {
            TrainingEngine<Double>(
                parameters: model.parameters, X: X, Y: Y, plan: plan,
                options: TrainingOptions(learningRate: 1, iterations: 1, l2: l2, engine: .direct, threads: 1),
                materialisesGradients: true)
        }
        let (withoutL2, withL2) = (engine(0), engine(5))
        let backprop = withoutL2.gradients().flatMap { $0 }
        var approximate = [Double]()
        for which in 0..<6 {
            for entry in 0..<withL2.parameterCount(which) {
                approximate.append(
                    (withL2.cost(moving: which, entry: entry, by: 1e-7)
                        - withL2.cost(moving: which, entry: entry, by: -1e-7)) / 2e-7)
            }
        }
        #expect(GradientCheck.difference(backprop, approximate) > 1e-3)
    }
}
