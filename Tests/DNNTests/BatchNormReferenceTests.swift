import Foundation
import Testing

@testable import DNN

/// Batch normalisation against numpy: `Reference/batchnorm-references.json`, written by
/// `scripts/make-batchnorm-references.py` (its backward passes checked by centred differences
/// before writing, and compared with PyTorch's `BatchNorm1d` by `scripts/compare-batchnorm-torch.py`).
/// The single operation's cases were computed in 60-digit arithmetic; the networks (bn on every
/// hidden layer or one, three heads, full batches, L2 and dropout, mini-batches with Adam) hold
/// the cost of every pass, the final parameters with γ, β and the running averages, and the
/// outputs in prediction form.
@Suite("Batch normalisation against numpy: the step functions, the engine on every strategy, prediction")
struct BatchNormReferenceTests {
    struct Layer: Decodable, Sendable {
        let W: [[Double]]
        let b: [[Double]]
        let gamma, beta, runningMean, runningVariance: [[Double]]?

        var parameters: LayerParameters {
            var layer = LayerParameters(W: Matrix(W), b: Matrix(b))
            if let gamma, let beta, let runningMean, let runningVariance {
                layer.normalization = NormalizationParameters(
                    gamma: Matrix(gamma), beta: Matrix(beta), runningMean: Matrix(runningMean),
                    runningVariance: Matrix(runningVariance))
            }
            return layer
        }
    }

    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let layerSizes: [Int]
        let activations: [String]
        let head: String
        let batchNorm: [Bool]
        let epsilon: Double
        let momentum: Double
        let learningRate: Double
        let iterations: Int
        let miniBatchSize: Int?
        let optimizer: String
        let l2: Double
        let keepProb: Double
        let dropoutSeed: UInt32
        let X: [[Double]]
        let Y: [[Double]]
        let initial: [Layer]
        let costs: [Double]
        let final: [Layer]
        let outputs: [[Double]]

        var testDescription: String { name }

        var network: Network {
            let hidden = (0..<activations.count).map { i in
                DNN.Layer(
                    units: layerSizes[i + 1], activation: try! Activation(parsing: activations[i]),
                    batchNorm: batchNorm[i] ? BatchNormalization(epsilon: epsilon, momentum: momentum) : nil)
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

        /// Targets as the engine takes them: a classifier's class indices (1×m), a regression's values.
        var targets: Matrix { Matrix(Y) }

        var isPlain: Bool { miniBatchSize == nil && l2 == 0 && keepProb == 1 && optimizer == "gd" }
        var parameters: Parameters { Parameters(layers: initial.map(\.parameters)) }
        var finalParameters: Parameters { Parameters(layers: final.map(\.parameters)) }
    }

    struct Unit: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let Z, gamma, beta, dY, out, mean, variance, dZ, dGamma, dBeta: [[Double]]
        let epsilon: Double
        var testDescription: String { name }
    }

    struct File: Decodable {
        let cases: [Case]
        let unit: [Unit]
    }

    static let file: File = {
        let url = Reference.directory.appendingPathComponent("batchnorm-references.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }()

    /// max|a − b| / max|b| (b all zeros: max|a|).
    static func relative(_ a: Matrix, _ b: [[Double]]) -> Double {
        let expected = Matrix(b)
        let scale = expected.map(abs).scalars.max()!
        return (a - expected).map(abs).scalars.max()! / (scale > 0 ? scale : 1)
    }

    @Test("batchNormForward and batchNormBackward follow the 60-digit references to 1e-12", arguments: file.unit)
    func stepFunctions(_ u: Unit) {
        let (Y, cache) = batchNormForward(
            Matrix(u.Z), gamma: Matrix(u.gamma), beta: Matrix(u.beta), epsilon: u.epsilon)
        let (dZ, dGamma, dBeta) = batchNormBackward(Matrix(u.dY), cache)
        for (name, value, expected) in [
            ("Y", Y, u.out), ("mean", cache.mean, u.mean), ("variance", cache.variance, u.variance), ("dZ", dZ, u.dZ),
            ("dGamma", dGamma, u.dGamma), ("dBeta", dBeta, u.dBeta),
        ] {
            let error = Self.relative(value, expected)
            #expect(error < 1e-12, "\(name) differs by \(error)")
        }
    }

    @Test(
        "the step-by-step functions replay numpy's full-batch training to 1e-12",
        arguments: file.cases.filter(\.isPlain))
    func stepByStep(_ c: Case) {
        let network = c.network, X = Matrix(c.X), Y = c.targets
        var parameters = c.parameters
        var worst = 0.0
        for iteration in 0..<c.iterations {
            let (AL, caches) = lModelForward(
                X, parameters, activations: network.activations, head: network.head,
                normalizations: network.normalizations)
            let cost = computeCost(AL, Y, head: network.head)
            worst = max(worst, abs(cost - c.costs[iteration]) / c.costs[iteration])
            let grads = lModelBackward(AL, Y, caches, activations: network.activations, head: network.head)
            parameters = updateRunningAverages(parameters, caches, momentum: c.momentum)
            parameters = updateParameters(parameters, grads, learningRate: c.learningRate)
        }
        #expect(worst < 1e-12, "largest relative cost difference \(worst)")
        let error = NetworkReferenceTests.difference(parameters, c.finalParameters)
        #expect(error < 1e-12, "parameters differ by \(error)")
        ReferenceLog.record("batchnorm \(c.name)", "step functions", max(worst, error))
    }

    /// One thread; the batch split between 2 and 3 threads (the statistics joined between them);
    /// BLAS's threads; and for plain full batches the fused sweep, alone and split.
    static func strategies(_ c: Case) -> [(Int, ParallelStrategy, Bool)] {
        [(1, .auto, false), (2, .split, false), (3, .split, false), (2, .blas, false)]
            + (c.isPlain ? [(1, .auto, true), (2, .split, true)] : [])
    }

    @Test("the engine follows numpy to 1e-9 on every strategy and thread count", arguments: file.cases)
    func engine(_ c: Case) throws {
        let X = Matrix(c.X)
        for (threads, parallelism, sweep) in Self.strategies(c) {
            let plan = try TrainingPlan(
                layerSizes: c.layerSizes, examples: X.cols, iterations: c.iterations, precision: .float64,
                engine: .direct, threads: threads, parallelism: parallelism, availableMemory: 16e9)
            let engine = TrainingEngine<Double>(
                parameters: c.parameters, features: FeatureMatrix(X), standardization: nil, Y: c.targets, plan: plan,
                options: c.options, network: c.network, sweep: sweep)
            let label = "\(threads) threads, \(parallelism)\(sweep ? ", sweep" : "")"
            #expect(engine.fused == sweep, "\(label)")
            // The sweep threads its own heavy work: the batch is not split.
            #expect(engine.columnParts == (parallelism == .split && !sweep ? threads : 1), "\(label)")
            let costs = (0..<c.iterations).map { _ in engine.epoch(learningRate: c.learningRate) }
            let worst = zip(costs, c.costs).map { abs($0 - $1) / $1 }.max()!
            #expect(worst < 1e-9, "\(label): largest relative cost difference \(worst)")
            let error = NetworkReferenceTests.difference(engine.parameters, c.finalParameters)
            #expect(error < 1e-9, "\(label): parameters differ by \(error)")
            ReferenceLog.record("batchnorm \(c.name)", label, max(worst, error))
        }
    }

    @Test("the engine in float32 follows numpy to float32's rounding", arguments: file.cases.filter(\.isPlain))
    func float32(_ c: Case) throws {
        let X = Matrix(c.X)
        let plan = try TrainingPlan(
            layerSizes: c.layerSizes, examples: X.cols, iterations: c.iterations, precision: .float32, engine: .direct,
            threads: 1, availableMemory: 16e9)
        let engine = TrainingEngine<Float>(
            parameters: c.parameters, features: FeatureMatrix(X), standardization: nil, Y: c.targets, plan: plan,
            options: c.options, network: c.network)
        let costs = (0..<c.iterations).map { _ in engine.epoch(learningRate: c.learningRate) }
        let worst = zip(costs, c.costs).map { abs($0 - $1) / $1 }.max()!
        #expect(worst < 1e-4, "largest relative cost difference \(worst)")
    }

    @Test("a model of the trained network predicts numpy's outputs with the running averages", arguments: file.cases)
    func prediction(_ c: Case) throws {
        let model = try DeepNeuralNetwork(parameters: c.finalParameters, network: c.network, task: nil)
        let outputs = try model.predict(Matrix(c.X)).probabilities
        let error = Self.relative(outputs, c.outputs)
        #expect(error < 1e-12, "outputs differ by \(error)")
        // The model file keeps every number: what is read back predicts the same.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bn-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let read = try DeepNeuralNetwork(contentsOf: path)
        #expect(read.parameters == model.parameters)
        #expect(read.network == model.network)
    }

    @Test("backprop's gradients of W, γ and β agree with centred differences (batch statistics)")
    func gradientCheck() throws {
        for c in Self.file.cases where c.activations.allSatisfy({ $0 != "relu" }) && c.head != "softmax" {
            let model = try DeepNeuralNetwork(parameters: c.parameters, network: c.network, task: nil)
            let check = try GradientCheck(model: model, X: Matrix(c.X), Y: c.targets)
            #expect(check.overall < 1e-7, "\(c.name): \(check.overall)")
            let names = check.entries.map(\.name)
            for (index, normalized) in c.batchNorm.enumerated() where normalized {
                #expect(names.contains("gamma\(index + 1)") && names.contains("beta\(index + 1)"))
                #expect(!names.contains("b\(index + 1)"))
            }
        }
    }
}
