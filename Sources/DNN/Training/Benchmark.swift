import Foundation

/// A timed training run: what `dnn bench` measures and prints.
public struct BenchmarkResult: Sendable {
    /// n[0], n[1], …, n[L] of the model timed.
    public let layerSizes: [Int]
    /// m, the training examples.
    public let examples: Int
    /// The precision the engine ran in.
    public let precision: Precision
    /// The path, threads and work per iteration decided before the run.
    public let plan: TrainingPlan
    /// How the first layer's work with X was done, and why.
    public let path: String
    /// How each heavy product is parallelised, in the engine's order.
    public let parallelism: [String]
    /// Passes: iterations of full-batch training, or epochs of mini-batches.
    public let iterations: Int
    /// Examples per mini-batch; nil for full batches.
    public let miniBatchSize: Int?
    /// Preparing the engine: copying the data in, the Gram matrix on the dual path, choosing the
    /// parallel strategy, and forming the parameters at the end.
    public let setupSeconds: Double
    /// The iterations alone.
    public let loopSeconds: Double
    /// The cost every 100 iterations and at the last.
    public let costs: [CostRecord]

    /// Setup and iterations together.
    public var totalSeconds: Double { setupSeconds + loopSeconds }
    /// Per pass (iteration or epoch).
    public var millisecondsPerIteration: Double { 1e3 * loopSeconds / Double(iterations) }
    /// The plan's floating-point operations of all iterations over `loopSeconds`, in 10⁹ per second.
    public var gigaflopsPerSecond: Double { plan.flopsPerIteration * Double(iterations) / loopSeconds / 1e9 }
    /// Bytes of X a direct iteration reads (two passes) over the time of one iteration: the
    /// memory rate the direct path needs, and the one the dual path behaves as if it had.
    public var effectiveGigabytesPerSecondOverX: Double {
        let bytes = 2 * Double(layerSizes[0] * examples) * Double(precision == .float32 ? 4 : 8)
        return bytes / (loopSeconds / Double(iterations)) / 1e9
    }
}

extension DeepNeuralNetwork {
    /// Trains a copy of this model on (X, Y) with `options` (any network, optimiser, mini-batches)
    /// and times it, the setup apart from the passes.
    public func benchmark(
        _ X: FeatureMatrix, _ Y: Matrix, options: TrainingOptions, parallelism: ParallelStrategy = .auto
    ) throws -> BenchmarkResult {
        try checkInput(X)
        try checkTargets(Y, examples: X.examples)
        try options.validate(examples: X.examples)
        let plan = try TrainingPlan(
            layerSizes: layerSizes, examples: X.examples, iterations: options.iterations, precision: options.precision,
            engine: options.engine, threads: options.threads, parallelism: parallelism,
            allowsDual: options.allowsDualPath)
        var options = options
        options.engine = plan.engine
        options.threads = plan.threads
        switch options.precision {
        case .float64: return try time(TrainingEngine<Double>.self, X, Y, options, plan)
        case .float32: return try time(TrainingEngine<Float>.self, X, Y, options, plan)
        }
    }

    private func time<Scalar>(
        _ engineType: TrainingEngine<Scalar>.Type, _ X: FeatureMatrix, _ Y: Matrix, _ options: TrainingOptions,
        _ plan: TrainingPlan
    ) throws -> BenchmarkResult {
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        let setupStart = now()
        let engine = engineType.init(
            parameters: parameters, features: X, standardization: standardization, Y: Y, plan: plan,
            options: options, network: network)
        var setup = now() - setupStart
        let loopStart = now()
        let costs = try engine.run().reported
        let loop = now() - loopStart
        let formStart = now()
        _ = engine.parameters
        setup += now() - formStart
        return BenchmarkResult(
            layerSizes: layerSizes, examples: X.examples, precision: options.precision,
            plan: plan, path: engine.pathDescription, parallelism: engine.parallelism, iterations: options.iterations,
            miniBatchSize: options.miniBatchSize, setupSeconds: setup, loopSeconds: loop, costs: costs)
    }
}
