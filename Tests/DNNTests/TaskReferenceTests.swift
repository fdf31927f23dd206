import Foundation
import Testing

@testable import DNN

/// Regression (one target and three) and multi-label (three labels) against numpy:
/// `Reference/task-references.json`, written by `scripts/make-network-references.py` (a plain numpy
/// MLP whose gradients it checks by centred differences before writing), holds for each loss ×
/// hidden activation × way of training (full-batch gradient descent; full batches with L2 and
/// dropout; mini-batches with Adam, L2 and dropout; a few with RMSprop; and weighted examples, full
/// batches and mini-batches) the data, the starting parameters, the cost of every pass, the final
/// parameters and outputs.
@Suite("Every task's loss against numpy: squared error and multi-label, every activation and strategy")
struct TaskReferenceTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let layerSizes: [Int]
        let activations: [String]
        let head: String
        let learningRate: Double
        let iterations: Int
        let miniBatchSize: Int?
        let optimizer: String
        let l2: Double
        let keepProb: Double
        let dropoutSeed: UInt32
        /// Each example's weight, for the weighted cases.
        let weights: [Double]?
        let X: [[Double]]
        let Y: [[Double]]
        let initial: [NetworkReferenceTests.Layer]
        let costs: [Double]
        let final: [NetworkReferenceTests.Layer]
        let outputs: [[Double]]

        var testDescription: String { name }

        var network: Network {
            let hidden = zip(layerSizes.dropFirst(), activations).map {
                DNN.Layer(units: $0, activation: try! Activation(parsing: $1))
            }
            return Network(
                inputs: layerSizes[0], hidden: hidden, head: try! Loss(parsing: head), outputs: layerSizes.last!)
        }

        var options: TrainingOptions {
            TrainingOptions(
                learningRate: learningRate, iterations: iterations, miniBatchSize: miniBatchSize,
                optimizer: try! Optimizer(named: optimizer), l2: l2, keepProb: keepProb,
                dropoutSeeding: .fresh, dropoutSeed: dropoutSeed)
        }

        /// Plain full-batch gradient descent: what the step-by-step functions replay.
        var isPlain: Bool { miniBatchSize == nil && l2 == 0 && keepProb == 1 && optimizer == "gd" }

        var parameters: Parameters {
            Parameters(layers: initial.map { LayerParameters(W: Matrix($0.W), b: Matrix($0.b)) })
        }

        var finalParameters: Parameters {
            Parameters(layers: final.map { LayerParameters(W: Matrix($0.W), b: Matrix($0.b)) })
        }
    }

    struct File: Decodable {
        let cases: [Case]
    }

    static let cases: [Case] = {
        let url = Reference.directory.appendingPathComponent("task-references.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test("the step-by-step functions follow numpy to 1e-12", arguments: cases.filter(\.isPlain))
    func stepByStep(_ c: Case) {
        let network = c.network, X = Matrix(c.X), Y = Matrix(c.Y)
        var parameters = c.parameters
        var worst = 0.0
        for iteration in 0..<c.iterations {
            let (AL, caches) = lModelForward(X, parameters, activations: network.activations, head: network.head)
            let cost = computeCost(AL, Y, head: network.head)
            worst = max(worst, abs(cost - c.costs[iteration]) / c.costs[iteration])
            let grads = lModelBackward(AL, Y, caches, activations: network.activations, head: network.head)
            parameters = updateParameters(parameters, grads, learningRate: c.learningRate)
        }
        #expect(worst < 1e-12, "largest relative cost difference \(worst)")
        #expect(NetworkReferenceTests.difference(parameters, c.finalParameters) < 1e-12)
        let outputs = lModelForward(X, parameters, activations: network.activations, head: network.head).AL
        #expect((outputs - Matrix(c.outputs)).map(abs).scalars.max()! < 1e-12)
    }

    /// Every arrangement the plan can pick for the case's options: one thread, the fused sweep,
    /// the batch split between 2 and 3 threads, BLAS's threads, and the dual path (gradient
    /// descent only).
    static func strategies(_ c: Case) -> [(EngineSelection, Int, ParallelStrategy, Bool?)] {
        var result: [(EngineSelection, Int, ParallelStrategy, Bool?)] = [
            (.direct, 1, .auto, false), (.direct, 2, .split, false), (.direct, 3, .split, false),
            (.direct, 2, .blas, false),
        ]
        if c.isPlain { result += [(.direct, 1, .auto, true), (.direct, 2, .split, true)] }
        if c.optimizer == "gd" && c.weights == nil { result += [(.dual, 1, .auto, nil), (.dual, 2, .split, nil)] }
        return result
    }

    @Test("the engine follows numpy to 1e-9 on every strategy and thread count", arguments: cases)
    func engine(_ c: Case) throws {
        let X = Matrix(c.X), Y = Matrix(c.Y)
        for (path, threads, parallelism, sweep) in Self.strategies(c) {
            let plan = try TrainingPlan(
                layerSizes: c.layerSizes, examples: X.cols, iterations: c.iterations, precision: .float64,
                engine: path, threads: threads, parallelism: parallelism, availableMemory: 16e9)
            let engine = TrainingEngine<Double>(
                parameters: c.parameters, features: FeatureMatrix(X), standardization: nil, Y: Y, plan: plan,
                options: c.options, network: c.network, sweep: sweep, weights: c.weights)
            let label = "\(path), \(threads) threads, \(parallelism)\(sweep == true ? ", sweep" : "")"
            #expect(engine.fused == (sweep == true), "\(label)")
            let costs = (0..<c.iterations).map { _ in engine.epoch(learningRate: c.learningRate) }
            let worst = zip(costs, c.costs).map { abs($0 - $1) / $1 }.max()!
            #expect(worst < 1e-9, "\(label): largest relative cost difference \(worst)")
            let error = NetworkReferenceTests.difference(engine.parameters, c.finalParameters)
            #expect(error < 1e-9, "\(label): parameters differ by \(error)")
        }
    }

    @Test("a model of the trained network predicts numpy's outputs on the engine's layer loop", arguments: cases)
    func model(_ c: Case) throws {
        let model = try DeepNeuralNetwork(parameters: c.finalParameters, network: c.network, task: nil)
        let (outputs, decisions) = try model.predict(Matrix(c.X))
        let expected = Matrix(c.outputs)
        #expect((outputs - expected).map(abs).scalars.max()! < 1e-12)
        switch model.task {
        case .regression: #expect(decisions == outputs)
        case .multilabel: #expect(decisions == expected.map { $0 > 0.5 ? 1 : 0 })
        case .classification: Issue.record("a \(c.head) network of \(c.layerSizes.last!) units is not a classifier")
        }
    }
}
