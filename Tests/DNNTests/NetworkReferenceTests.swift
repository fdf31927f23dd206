import Foundation
import Testing

@testable import DNN

/// Any network against numpy: `Reference/network-references.json`, written by
/// `scripts/make-network-references.py` (a plain numpy MLP whose gradients it checks by centred
/// differences before writing), holds for each activation × head the data, the starting
/// parameters, the cost at every one of 40 full-batch gradient-descent iterations, the final
/// parameters and probabilities. The step-by-step functions and the engine (both paths, both
/// thread counts) must reproduce them.
@Suite("Any network: every activation and head against numpy")
struct NetworkReferenceTests {
    struct Layer: Decodable {
        let W: [[Double]]
        let b: [[Double]]
    }

    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let layerSizes: [Int]
        let activations: [String]
        let head: String
        let learningRate: Double
        let iterations: Int
        let X: [[Double]]
        let Y: [Int]
        let initial: [Layer]
        let costs: [Double]
        let final: [Layer]
        let probabilities: [[Double]]

        var testDescription: String { name }

        var network: Network {
            let hidden = zip(layerSizes.dropFirst(), activations).map {
                DNN.Layer(units: $0, activation: try! Activation(parsing: $1))
            }
            return Network(
                inputs: layerSizes[0], hidden: hidden, head: try! OutputHead(parsing: head), outputs: layerSizes.last!)
        }

        var parameters: Parameters {
            Parameters(layers: initial.map { LayerParameters(W: Matrix($0.W), b: Matrix($0.b)) })
        }

        var finalParameters: Parameters {
            Parameters(layers: final.map { LayerParameters(W: Matrix($0.W), b: Matrix($0.b)) })
        }

        var labels: Matrix { Matrix(rows: 1, cols: Y.count, scalars: Y.map(Double.init)) }
    }

    struct File: Decodable {
        let cases: [Case]
    }

    static let cases: [Case] = {
        let url = Reference.directory.appendingPathComponent("network-references.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    /// Largest relative difference of two parameter sets, layer by layer, scaled by the expected
    /// layer's largest entry.
    static func difference(_ a: Parameters, _ b: Parameters) -> Double {
        var worst = 0.0
        for l in 1...b.layerCount {
            var pairs = [(a.W(l), b.W(l)), (a.b(l), b.b(l))]
            if let y = b.layers[l - 1].normalization {
                guard let x = a.layers[l - 1].normalization else { return .infinity }
                pairs += [
                    (x.gamma, y.gamma), (x.beta, y.beta), (x.runningMean, y.runningMean),
                    (x.runningVariance, y.runningVariance),
                ]
            }
            for (x, y) in pairs {
                let scale = max(y.map(abs).scalars.max()!, 1e-300)
                worst = max(worst, (x - y).map(abs).scalars.max()! / scale)
            }
        }
        return worst
    }

    @Test("the step-by-step functions follow numpy to 1e-12", arguments: cases)
    func stepByStep(_ c: Case) {
        let network = c.network, X = Matrix(c.X), Y = c.labels
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
        #expect(Self.difference(parameters, c.finalParameters) < 1e-12)
        let probabilities = lModelForward(X, parameters, activations: network.activations, head: network.head).AL
        #expect((probabilities - Matrix(c.probabilities)).map(abs).scalars.max()! < 1e-12)
    }

    @Test("the engine follows numpy to 1e-9 on every path", arguments: cases)
    func engine(_ c: Case) throws {
        let X = Matrix(c.X), Y = c.labels
        for (path, threads) in [(EngineSelection.direct, 1), (.direct, 2), (.dual, 1), (.dual, 2)] {
            let plan = try TrainingPlan(
                layerSizes: c.layerSizes, examples: X.cols, iterations: c.iterations, precision: .float64,
                engine: path, threads: threads, parallelism: .split, availableMemory: 16e9)
            let engine = TrainingEngine<Double>(
                parameters: c.parameters, X: X, Y: Y, plan: plan,
                options: TrainingOptions(learningRate: c.learningRate, iterations: c.iterations), network: c.network)
            let costs = (0..<c.iterations).map { _ in engine.epoch(learningRate: c.learningRate) }
            let worst = zip(costs, c.costs).map { abs($0 - $1) / $1 }.max()!
            #expect(worst < 1e-9, "\(path), \(threads) threads: largest relative cost difference \(worst)")
            let error = Self.difference(engine.parameters, c.finalParameters)
            #expect(error < 1e-9, "\(path), \(threads) threads: parameters differ by \(error)")
        }
    }

    @Test("a model of the network predicts numpy's probabilities", arguments: cases)
    func model(_ c: Case) throws {
        let model = try DeepNeuralNetwork(parameters: c.finalParameters, network: c.network)
        let (probabilities, labels) = try model.predict(Matrix(c.X))
        #expect((probabilities - Matrix(c.probabilities)).map(abs).scalars.max()! < 1e-12)
        let expected = Matrix(c.probabilities)
        for j in 0..<labels.cols {
            let column = (0..<expected.rows).map { expected[$0, j] }
            let best = expected.rows == 1 ? (column[0] > 0.5 ? 1 : 0) : column.indices.max { column[$0] < column[$1] }!
            #expect(Int(labels[0, j]) == best)
        }
    }
}
