import Foundation
import Testing

@testable import DNN

/// Every training path against the step-by-step functions, on small random problems.
@Suite("Training engine: every path matches the step-by-step functions")
struct TrainingEngineTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let sizes: [Int]
        let m: Int
        let engine: EngineSelection
        let threads: Int
        let parallelism: ParallelStrategy
        /// The fused sweep forced on the direct path (these X are too small for the rule to take it).
        var sweep: Bool? = nil
        var testDescription: String {
            "\(sizes), m = \(m), \(engine), \(threads) threads, \(parallelism)\(sweep == true ? ", sweep" : "")"
        }
    }

    static let cases: [Case] = [
        // Wide data (features ≫ examples), where the dual path is meant to be used, and tall data.
        ([300, 6, 4, 1], 25), ([40, 5, 1], 90), ([3, 8, 8, 1], 50),
        // More than 64 first-layer units: the direct path takes two plain products, not the sweep.
        ([10, 70, 1], 30),
    ].flatMap { sizes, m in
        [
            Case(sizes: sizes, m: m, engine: .direct, threads: 1, parallelism: .auto),
            Case(sizes: sizes, m: m, engine: .direct, threads: 1, parallelism: .auto, sweep: true),
            Case(sizes: sizes, m: m, engine: .direct, threads: 2, parallelism: .split),
            Case(sizes: sizes, m: m, engine: .direct, threads: 2, parallelism: .split, sweep: true),
            Case(sizes: sizes, m: m, engine: .direct, threads: 3, parallelism: .split),
            Case(sizes: sizes, m: m, engine: .direct, threads: 2, parallelism: .blas),
            Case(sizes: sizes, m: m, engine: .dual, threads: 1, parallelism: .auto),
            Case(sizes: sizes, m: m, engine: .dual, threads: 2, parallelism: .split),
        ]
    }

    /// The step-by-step path: `iterations` steps of the course's functions, costs and parameters.
    static func reference(_ parameters: Parameters, _ X: Matrix, _ Y: Matrix, iterations: Int, rate: Double)
        -> ([Double], Parameters)
    {
        var parameters = parameters
        var costs = [Double]()
        for _ in 0..<iterations {
            let (AL, caches) = lModelForward(X, parameters)
            costs.append(computeCost(AL, Y))
            parameters = updateParameters(parameters, lModelBackward(AL, Y, caches), learningRate: rate)
        }
        return (costs, parameters)
    }

    static func problem(_ c: Case) -> (Parameters, Matrix, Matrix) {
        var rng = NumPyRandom(seed: UInt32(c.sizes.reduce(c.m, +)))
        let X = rng.rand(c.sizes[0], c.m)
        let Y = rng.rand(1, c.m).map { $0 < 0.5 ? 0 : 1 }
        return (InitializationScheme.lLayer.parameters(layerSizes: c.sizes, seed: 1), X, Y)
    }

    @Test("float64: costs and parameters agree to 1e-10 over 200 iterations", arguments: cases)
    func float64(_ c: Case) throws {
        let (parameters, X, Y) = Self.problem(c)
        let (expectedCosts, expectedParameters) = Self.reference(parameters, X, Y, iterations: 200, rate: 0.05)
        let plan = try TrainingPlan(
            layerSizes: c.sizes, examples: c.m, iterations: 200, precision: .float64, engine: c.engine,
            threads: c.threads, parallelism: c.parallelism, availableMemory: 16e9)
        #expect(plan.engine == c.engine)
        let engine = TrainingEngine<Double>(
            parameters: parameters, X: X, Y: Y, plan: plan, options: TrainingOptions(learningRate: 0.01, iterations: 1),
            sweep: c.sweep)
        #expect(engine.fused == (c.sweep == true))
        let costs = (0..<200).map { _ in engine.epoch(learningRate: 0.05) }
        // Paths differ from the course's only in rounding (summation order, dZ[L] = A − Y, the
        // dual path's C·G); 200 iterations of that stay far below 1e-10.
        let worstCost = zip(costs, expectedCosts).map { abs($0 - $1) / $1 }.max()!
        #expect(worstCost < 1e-10)
        let trained = engine.parameters
        for l in 1...trained.layerCount {
            let scale = expectedParameters.W(l).map(abs).scalars.max()!
            let error = (trained.W(l) - expectedParameters.W(l)).map(abs).scalars.max()! / scale
            #expect(error < 1e-10, "W\(l)")
            #expect((trained.b(l) - expectedParameters.b(l)).map(abs).scalars.max()! < 1e-10, "b\(l)")
        }
    }

    @Test("float32 follows float64 to float32's precision", arguments: cases.filter { $0.threads <= 2 })
    func float32(_ c: Case) throws {
        let (parameters, X, Y) = Self.problem(c)
        let (expectedCosts, _) = Self.reference(parameters, X, Y, iterations: 50, rate: 0.05)
        let plan = try TrainingPlan(
            layerSizes: c.sizes, examples: c.m, iterations: 50, precision: .float32, engine: c.engine,
            threads: c.threads, parallelism: c.parallelism, availableMemory: 16e9)
        let engine = TrainingEngine<Float>(
            parameters: parameters, X: X, Y: Y, plan: plan, options: TrainingOptions(learningRate: 0.01, iterations: 1),
            sweep: c.sweep)
        let costs = (0..<50).map { _ in engine.epoch(learningRate: 0.05) }
        // Float32's ε is 6e-8; sums of a few hundred terms and 50 steps stay under 1e-4.
        #expect(zip(costs, expectedCosts).allSatisfy { abs($0 - $1) / $1 < 1e-4 })
    }

    /// Each batch split by columns between threads (`columnParts`) sums the parts' gradients: the
    /// same training as one thread, to rounding, under every option, including mini-batches whose
    /// last batch has fewer columns than parts have threads, dropout masks drawn for the whole
    /// batch, Adam, L2, and the softmax head.
    static let columnPartOptions: [(String, TrainingOptions)] =
        optionSets + [
            (
                "Adam, mini-batches of 16",
                TrainingOptions(
                    learningRate: 0.01, iterations: 30, miniBatchSize: 16,
                    optimizer: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
            ),
            (
                "fresh dropout, mini-batches of 24, L2",
                TrainingOptions(
                    learningRate: 0.05, iterations: 30,
                    miniBatchSize: 24, l2: 0.1, keepProb: 0.7, dropoutSeeding: .fresh, dropoutSeed: 3)
            ),
        ]

    @Test(
        "a batch split by columns between 2 or 3 threads trains as one thread does, to 1e-12",
        arguments: columnPartOptions.indices, [false, true])
    func columnParts(_ index: Int, softmax: Bool) throws {
        let (name, options) = Self.columnPartOptions[index]
        var rng = NumPyRandom(seed: 22)
        let m = 50
        let X = rng.rand(12, m)
        let Y = rng.rand(1, m).map { (softmax ? ($0 * 3).rounded(.down) : ($0 < 0.5 ? 0 : 1)) }
        let network = Network(
            inputs: 12, hidden: [Layer(units: 9, activation: .tanh), Layer(units: 5)],
            head: softmax ? .softmax : .sigmoid, classes: softmax ? 3 : 2)
        let parameters = InitializationScheme.lLayer.parameters(layerSizes: network.layerSizes, seed: 3)
        func train(threads: Int) throws -> ([Double], Parameters, Int) {
            let plan = try TrainingPlan(
                layerSizes: network.layerSizes, examples: m, iterations: 30, precision: .float64, engine: .direct,
                threads: threads, parallelism: .split, availableMemory: 16e9)
            let engine = TrainingEngine<Double>(
                parameters: parameters, X: X, Y: Y, plan: plan, options: options, network: network)
            let costs = (0..<30).map { _ in engine.epoch(learningRate: options.learningRate) }
            return (costs, engine.parameters, engine.columnParts)
        }
        let (costs, trained, parts) = try train(threads: 1)
        #expect(parts == 1)
        for threads in [2, 3] {
            let (splitCosts, splitTrained, splitParts) = try train(threads: threads)
            #expect(splitParts == min(threads, options.miniBatchSize ?? m), "\(name)")
            let worst = zip(costs, splitCosts).map { abs($0 - $1) / $0 }.max()!
            #expect(worst < 1e-12, "\(name), \(threads) threads: costs differ by \(worst)")
            for l in 1...trained.layerCount {
                let scale = trained.W(l).map(abs).scalars.max()!
                let error = (splitTrained.W(l) - trained.W(l)).map(abs).scalars.max()! / scale
                #expect(error < 1e-12, "\(name), \(threads) threads: W\(l) differs by \(error)")
            }
        }
    }

    @Test("the sweep over X is chosen by the shapes: wide X with few units, not tall data, many units or X in cache")
    func fusionRule() {
        #expect(TrainingEngine<Double>.fusionPays(features: 12288, units: 20, examples: 209))  // the course's cat data
        #expect(!TrainingEngine<Double>.fusionPays(features: 784, units: 128, examples: 50_000))  // MNIST's shape
        #expect(!TrainingEngine<Double>.fusionPays(features: 100_000, units: 70, examples: 30))
        #expect(!TrainingEngine<Double>.fusionPays(features: 1000, units: 20, examples: 10_000))  // Z1 of 1.6 MB
        #expect(TrainingEngine<Float>.fusionPays(features: 1000, units: 20, examples: 6_000))  // 480 KB in float32
        #expect(!TrainingEngine<Double>.fusionPays(features: 64, units: 32, examples: 1347))  // digits: X in cache
    }

    @Test("a forced dual engine that would not fit in memory is refused before any work")
    func dualTooLarge() {
        // The machine's memory is given, not read, so the test holds on any machine.
        #expect(
            throws: DNNError(
                "the dual engine needs 720.0 GB for the 300000×300000 Gram matrix of 300000 examples, "
                    + "more than half of this machine's 1000.0 GB; use --engine direct")
        ) {
            try TrainingPlan(
                layerSizes: [2, 3, 1], examples: 300_000, iterations: 10, precision: .float64, engine: .dual,
                availableMemory: 1e12)
        }
        // With more memory the same plan is accepted: the limit is the memory's, not a constant.
        let roomy = try? TrainingPlan(
            layerSizes: [2, 3, 1], examples: 300_000, iterations: 10, precision: .float64, engine: .dual,
            availableMemory: 2e12)
        #expect(roomy?.engine == .dual)
    }

    static let optionSets: [(String, TrainingOptions)] = [
        ("L2", TrainingOptions(learningRate: 0.05, iterations: 30, l2: 0.3)),
        ("momentum", TrainingOptions(learningRate: 0.05, iterations: 30, optimizer: .momentum(beta: 0.9))),
        (
            "momentum and L2",
            TrainingOptions(learningRate: 0.05, iterations: 30, optimizer: .momentum(beta: 0.8), l2: 0.5)
        ),
        ("mini-batches", TrainingOptions(learningRate: 0.05, iterations: 30, miniBatchSize: 7)),
        (
            "mini-batches, momentum and L2",
            TrainingOptions(
                learningRate: 0.05, iterations: 30, miniBatchSize: 8, optimizer: .momentum(beta: 0.9), l2: 0.2)
        ),
        ("dropout", TrainingOptions(learningRate: 0.05, iterations: 30, keepProb: 0.8, dropoutSeeding: .course)),
    ]

    @Test("the dual path follows the direct path under every option it allows", arguments: optionSets.indices)
    func dualWithOptions(_ index: Int) throws {
        let (name, options) = Self.optionSets[index]
        var rng = NumPyRandom(seed: 21)
        let X = rng.rand(200, 25)
        let Y = rng.rand(1, 25).map { $0 < 0.5 ? 0 : 1 }
        func train(_ engine: EngineSelection) throws -> (DeepNeuralNetwork, [CostRecord]) {
            var model = try DeepNeuralNetwork(layerSizes: [200, 6, 4, 1], initialization: .lLayer)
            var chosen = options
            chosen.engine = engine
            chosen.reportEvery = 1
            let history = try model.train(X, Y, options: chosen)
            #expect(model.training?.engine == engine)
            return (model, history)
        }
        let (direct, directCosts) = try train(.direct)
        let (dual, dualCosts) = try train(.dual)
        // Both paths are the same algorithm summed in another order: 30 passes stay near 1e-13.
        let worst = zip(directCosts, dualCosts).map { abs($0.cost - $1.cost) / $0.cost }.max()!
        #expect(worst < 1e-10, "\(name): costs differ by \(worst)")
        for l in 1...3 {
            let scale = direct.parameters.W(l).map(abs).scalars.max()!
            let error = (dual.parameters.W(l) - direct.parameters.W(l)).map(abs).scalars.max()! / scale
            #expect(error < 1e-10, "\(name): W\(l) differs by \(error)")
        }
        if options.optimizer.name == "momentum" {
            let v1 = Matrix(rows: 6, cols: 200, scalars: dual.optimizerState!.moments[0])
            let expected = Matrix(rows: 6, cols: 200, scalars: direct.optimizerState!.moments[0])
            #expect((v1 - expected).map(abs).scalars.max()! < 1e-10 * expected.map(abs).scalars.max()!)
        }
    }

    @Test("Adam keeps to the direct path; a forced dual engine is refused")
    func adamIsDirect() throws {
        var model = try DeepNeuralNetwork(layerSizes: [200, 6, 1])
        var rng = NumPyRandom(seed: 1)
        let X = rng.rand(200, 10), Y = rng.rand(1, 10).map { $0 < 0.5 ? 0 : 1 }
        try model.train(X, Y, options: TrainingOptions(learningRate: 0.01, iterations: 5, optimizer: .courseAdam))
        #expect(model.training?.engine == .direct)
        #expect(
            throws: DNNError(
                "the dual engine cannot follow Adam (its updates leave the span of Xᵀ); use --engine direct")
        ) {
            try model.train(
                X, Y, options: TrainingOptions(learningRate: 0.01, iterations: 5, optimizer: .courseAdam, engine: .dual)
            )
        }
    }
}
