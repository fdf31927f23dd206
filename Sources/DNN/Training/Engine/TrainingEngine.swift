import Foundation

/// Training of any `Network` on buffers allocated once: the same mathematics as the step-by-step
/// functions, arranged for speed. Nothing is allocated per iteration.
///
/// The engine owns the data in its precision and the order of the work; the parts each do one
/// thing and are chosen once, by the plan:
///
/// - `EngineWorkspace`: the layers' buffers (parameters, gradients, activations, dZ);
/// - `LayerLoop`: the forward and backward passes over a block of a batch's columns, shared
///   with prediction;
/// - `FirstLayerPath`: how layer 1 works with X (`DirectFirstLayer`, `FusedSweep`, `DualPath`);
/// - `BatchExecution`: how a batch's work is arranged (`SerialExecution`, `ColumnSplitExecution`
///   between threads, `ShardedExecution` over MPI);
/// - `BatchShuffle` (mini-batches), `DropoutMasks`, `OptimizerMoments`.
///
/// Per pass: full batch, one batch of all m examples (X feature-major, n0×m); mini-batches, the
/// examples shuffled as the course's `random_mini_batches` does and each batch gathered from X
/// kept example-major (m×n0). The course's next part (L2, dropout, optimisers) runs on the same
/// buffers; the dual path needs an optimiser whose step stays in the span of the gradients.
///
/// Why the parts' methods carry `@_specialize(where Scalar == Float)` and `Double`: the plan's
/// choices are held as existentials (`any BatchExecution<Scalar>`, `any FirstLayerPath<Scalar>`),
/// whose witnesses are the generic code, and everything they call ran generically from there
/// (each `*` a protocol call: the dual path ran 2–3× slower). Each method with a loop asks for
/// its two specialisations, to which its generic entry dispatches.
final class TrainingEngine<Scalar: EngineScalar> {
    let options: TrainingOptions
    let plan: TrainingPlan
    /// The examples this process holds, and those of every shard together (the m of 1/m).
    let m, totalExamples: Int
    /// X (n0×m, or m×n0 when `exampleMajor`) and the targets Y (rows×m), in this precision.
    let X, Y: UnsafeMutableBufferPointer<Scalar>
    let loop: LayerLoop<Scalar>
    let execution: any BatchExecution<Scalar>
    let shuffle: BatchShuffle<Scalar>?
    let moments: OptimizerMoments<Scalar>
    /// Distributed training: the job's processes (full batches and mini-batches, direct path).
    let communicator: Communicator?
    /// The system would not start the engine's helper threads: BLAS's own threads work instead.
    let threadsRefused: Bool
    /// The shuffle's seed before this run: saved again when the run takes no mini-batches.
    let initialShuffleSeed: UInt32
    /// With weighted examples: the rows of targets before Y's row of weights, and Σ of the weights
    /// (what the mean loss divides by, for m).
    let weighting: (targetRows: Int, total: Double)?
    private let previousBLASThreads = blasThreadCount()

    var workspace: EngineWorkspace<Scalar> { loop.workspace }
    var layerCount: Int { workspace.layerCount }
    var isDual: Bool { loop.first is DualPath<Scalar> }
    /// Whether X is kept one row per example (mini-batches gathered from it on the direct path).
    var exampleMajor: Bool { shuffle != nil && !isDual }
    /// Whether layer 1 runs the fused sweep.
    var fused: Bool { loop.first is FusedSweep<Scalar> }
    /// The parts each batch is split into between threads.
    var columnParts: Int { execution.columnParts }

    /// The fused sweep's rule on the shapes (`FusedSweep.pays`).
    static func fusionPays(features n0: Int, units n1: Int, examples m: Int) -> Bool {
        FusedSweep<Scalar>.pays(features: n0, units: n1, examples: m)
    }

    /// From a matrix X (n[0]×m) and labels Y (1×m); see the initialiser below.
    convenience init(
        parameters: Parameters, X: Matrix, Y: Matrix, plan: TrainingPlan, options: TrainingOptions,
        network: Network? = nil, materialisesGradients: Bool = false, resuming state: OptimizerState? = nil,
        sweep: Bool? = nil
    ) {
        self.init(
            parameters: parameters, features: FeatureMatrix(X), standardization: nil, Y: Y, plan: plan,
            options: options, network: network, materialisesGradients: materialisesGradients, resuming: state,
            sweep: sweep)
    }

    /// Copies the features (converted straight into this precision and layout, standardised on
    /// the way when `standardization` is given), the targets Y and the parameters, and prepares
    /// the arrangement `plan` chose. `network` gives the activations and the head (by default the
    /// course's). With `materialisesGradients`, dW1 is formed on one thread (no sweep, no split),
    /// as the gradient check needs. `resuming` is a saved optimiser state, taken up only by the
    /// same optimiser. `sweep` overrides `fusionPays` where the sweep is possible (for tests).
    /// With `communicator`, this process holds its shard of `totalExamples`. With `weights` (one
    /// per example, not distributed), each example's loss and gradient count by its weight and
    /// the means divide by their sum: a row of weights follows Y's targets, gathered with them.
    init(
        parameters: Parameters, features: FeatureMatrix, standardization: Standardization?, Y: Matrix,
        plan: TrainingPlan, options: TrainingOptions, network: Network? = nil, materialisesGradients: Bool = false,
        resuming state: OptimizerState? = nil, sweep: Bool? = nil, communicator: Communicator? = nil,
        totalExamples: Int? = nil, weights: [Double]? = nil
    ) {
        precondition(communicator == nil || plan.engine == .direct, "distributed training takes the direct path")
        precondition(weights == nil || communicator == nil && plan.engine == .direct, "weights take the direct path")
        let total = totalExamples ?? features.examples
        let shard = communicator?.shard(of: total) ?? 0..<features.examples
        precondition(
            shard.count == features.examples, "this process holds \(features.examples) examples, not its shard \(shard)"
        )
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        let network = network ?? Network(layerSizes: sizes)
        precondition(network.layerSizes == sizes, "TrainingEngine: network \(network.layerSizes), parameters \(sizes)")
        (self.options, self.plan, self.communicator, m, self.totalExamples) = (
            options, plan, communicator, features.examples, total
        )
        let batched = options.miniBatchSize != nil
        let exampleMajor = batched && plan.engine != .dual
        initialShuffleSeed = state?.shuffleSeed ?? 10
        X = .allocate(capacity: features.features * features.examples)
        features.write(into: X, exampleMajor: exampleMajor, standardization: standardization)
        self.Y = .allocate(copying: Y.scalars + (weights ?? []))
        weighting = weights.map { (Y.rows, $0.reduce(0, +)) }
        let capacity = min(options.miniBatchSize ?? m, m)
        let workspace = EngineWorkspace<Scalar>(
            parameters: parameters, capacity: capacity, normalizations: network.normalizations)
        shuffle =
            batched
            ? BatchShuffle(
                X: exampleMajor ? UnsafePointer(X.baseAddress!) : nil, features: sizes[0], Y: self.Y.baseAddress!,
                targetRows: Y.rows + (weights == nil ? 0 : 1), examples: m, total: total, capacity: capacity,
                seed: initialShuffleSeed)
            : nil
        let dropout = DropoutMasks<Scalar>(
            hiddenUnits: Array(sizes.dropFirst().dropLast()), batchCapacity: capacity, keepProb: options.keepProb,
            seeding: options.dropoutSeeding, seed: options.dropoutSeed,
            largestBatch: communicator == nil ? 0 : min(options.miniBatchSize ?? total, total))
        moments = OptimizerMoments(optimizer: options.optimizer, parameters: parameters, resuming: state)
        let first = Self.firstLayer(
            workspace, X: X, m: m, plan: plan, options: options, materialisesGradients: materialisesGradients,
            sweep: sweep, distributed: communicator != nil || weights != nil)
        loop = LayerLoop(
            workspace: workspace, activations: network.hidden.map(\.activation.function), head: network.head.function,
            first: first, dropout: dropout)
        (execution, threadsRefused) = Self.execution(
            loop, moments: moments, shuffle: shuffle, options: options, plan: plan, communicator: communicator,
            shard: shard, serialOnly: materialisesGradients)
    }

    deinit {
        setBLASThreadCount(previousBLASThreads)
        X.deallocate()
        Y.deallocate()
    }

    /// The plan's first-layer path: the dual path when it chose it, the fused sweep for full
    /// batches of plain steps without L2 where the sweep pays (or `sweep` forces it), two plain
    /// products otherwise. `distributed` (shards, or weighted examples, whose mean is not over m)
    /// keeps the sweep out: its step divides by m itself.
    private static func firstLayer(
        _ workspace: EngineWorkspace<Scalar>, X: UnsafeMutableBufferPointer<Scalar>, m: Int, plan: TrainingPlan,
        options: TrainingOptions, materialisesGradients: Bool, sweep: Bool?, distributed: Bool
    ) -> any FirstLayerPath<Scalar> {
        let form = options.optimizer.function.linearForm
        precondition(workspace.normalization.isEmpty || plan.engine != .dual, "the dual path cannot batch-normalise")
        if plan.engine == .dual {
            guard let form else {
                preconditionFailure("the plan takes the dual path only for steps in the span of the gradients")
            }
            return DualPath(
                workspace: workspace, X: X, examples: m, batched: options.miniBatchSize != nil, form: form,
                l2: options.l2, threads: plan.threads, parallelism: plan.parallelism)
        }
        let sizes = workspace.sizes
        if options.miniBatchSize == nil, form == .plain, options.l2 == 0, !materialisesGradients, !distributed,
            sweep ?? fusionPays(features: sizes[0], units: sizes[1], examples: m)
        {
            return FusedSweep(
                workspace: workspace, X: X.baseAddress!, threads: plan.threads, parallelism: plan.parallelism)
        }
        return DirectFirstLayer(
            workspace: workspace,
            reason: options.miniBatchSize != nil
                ? "direct, mini-batches gathered from X kept one row per example, two BLAS products with each batch"
                : "direct, two plain BLAS products with X per iteration (the fused sweep pays only for ≤ 64 "
                    + "first-layer units and Z1 within 1 MB; these products are bound by arithmetic)")
    }

    /// The plan's arrangement of each batch: a shard of a distributed job; split by columns
    /// between threads (direct first layer, a batch worth it); or one thread, BLAS threading each
    /// product when a batch's largest is worth it. Returns whether the system refused threads.
    private static func execution(
        _ loop: LayerLoop<Scalar>, moments: OptimizerMoments<Scalar>, shuffle: BatchShuffle<Scalar>?,
        options: TrainingOptions, plan: TrainingPlan, communicator: Communicator?, shard: Range<Int>, serialOnly: Bool
    ) -> (any BatchExecution<Scalar>, Bool) {
        let serial = SerialExecution(loop: loop, moments: moments, shuffle: shuffle, l2: options.l2)
        // The fused sweep and the dual path thread their heavy work themselves (`HeavyWork`).
        guard loop.first is DirectFirstLayer<Scalar> else { return (serial, loop.first.threadsRefused) }
        let sizes = loop.workspace.sizes, capacity = loop.workspace.capacity
        let parts =
            serialOnly || communicator != nil
            ? 1
            : ColumnSplitExecution<Scalar>.parts(
                sizes: sizes, batch: capacity, threads: plan.threads, parallelism: plan.parallelism)
        if parts > 1,
            let split = ColumnSplitExecution(
                loop: loop, moments: moments, shuffle: shuffle, l2: options.l2, parts: parts)
        {
            return (split, false)
        }
        // Every product is a BLAS call of its own: BLAS threads them when a batch's largest product
        // is worth it (small networks and batches stay on one thread).
        let largest = (1..<sizes.count).map { 2 * Double(sizes[$0]) * Double(sizes[$0 - 1]) * Double(capacity) }.max()!
        setBLASThreadCount(largest > HeavyWork.threadingPays ? plan.threads : 1)
        if let communicator {
            return (ShardedExecution(serial: serial, communicator: communicator, shard: shard), false)
        }
        return (serial, parts > 1)
    }

    /// One pass over the data (an iteration of full-batch training, or an epoch of mini-batches):
    /// forward, cost, backward and update for each batch. Returns the cost before the updates: the
    /// loss summed over all examples / m (plus the L2 penalty for full batches).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func epoch(learningRate: Double) -> Double {
        guard let shuffle else {
            let batch = fullBatch
            let sum = execution.lossAndGradients(batch)
            workspace.normalization.updateRunningAverages()
            let penalty = options.l2 > 0 ? l2Penalty() : 0
            execution.step(batch, rate: learningRate)
            return sum / batch.gradientWeight + penalty
        }
        shuffle.shuffle()
        var total = 0.0
        let size = communicator == nil ? workspace.capacity : options.miniBatchSize!
        for start in stride(from: 0, to: totalExamples, by: size) {
            let places = start..<min(start + size, totalExamples)
            let width = execution.gather(places)
            let examples = communicator == nil ? width : places.count
            // The batch's row of weights, gathered after its targets (by the parts of a split batch,
            // later); their sum, from the examples' own weights.
            let weights = weighting.map { shuffle.batchY.baseAddress! + $0.targetRows * workspace.capacity }
            var gradientWeight = Double(examples)
            if let weighting {
                let row = Y.baseAddress! + weighting.targetRows * m
                gradientWeight = shuffle.examples(places).reduce(0.0) { $0 + Double(row[$1]) }
            }
            let batch = BatchView(
                input: shuffle.batchX.baseAddress ?? X.baseAddress!, inputStride: workspace.sizes[0],
                exampleMajor: true,
                targets: shuffle.batchY.baseAddress!, targetStride: workspace.capacity, width: width,
                gradientExamples: examples, weights: weights, gradientWeight: gradientWeight,
                columns: places, examples: shuffle.examples(places))
            // A batch whose every weight is 0 has no mean to step along.
            guard batch.gradientWeight > 0 else { continue }
            total += execution.lossAndGradients(batch)
            workspace.normalization.updateRunningAverages()
            execution.step(batch, rate: learningRate)
        }
        return total / (weighting?.total ?? Double(totalExamples))
    }

    /// All m examples as one batch: X's columns, feature-major.
    var fullBatch: BatchView<Scalar> {
        BatchView(
            input: X.baseAddress!, inputStride: m, exampleMajor: false, targets: Y.baseAddress!, targetStride: m,
            width: m, gradientExamples: totalExamples, weights: weighting.map { Y.baseAddress! + $0.targetRows * m },
            gradientWeight: weighting?.total ?? Double(totalExamples), columns: 0..<m, examples: nil)
    }

    /// λ/(2m)·Σ‖W[l]‖², as the course writes it: (1/m)·(λ/2)·(Σ W1² + Σ W2² + …); m is Σ of the
    /// weights when examples are weighted.
    func l2Penalty() -> Double {
        let squares = workspace.squaredWeights(1..<layerCount, adding: loop.first.squaredWeights)
        return 1 / (weighting?.total ?? Double(totalExamples)) * (options.l2 / 2) * squares
    }

    /// The optimiser's state now, to be saved with the model; on the dual path momentum's v1 is
    /// formed from its span.
    var optimizerState: OptimizerState {
        var saved = moments.saved
        if !saved.isEmpty, let velocity = loop.first.formedVelocity() {
            defer { velocity.deallocate() }
            saved[0] = velocity.map { Double($0) }
        }
        return OptimizerState(
            optimizer: options.optimizer, step: moments.step, shuffleSeed: shuffle?.seed ?? initialShuffleSeed,
            moments: saved)
    }

    /// The current parameters, widened to `Double`; on the dual path W1 = a·W1(0) + C·Xᵀ is formed
    /// here, in a copy, so that training can go on afterwards.
    var parameters: Parameters {
        guard let formed = loop.first.formedWeights() else { return workspace.parameters() }
        defer { formed.deallocate() }
        return workspace.parameters(firstW: formed)
    }
}
