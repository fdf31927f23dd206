import Foundation

/// Training of any `Network` on buffers allocated once: the same mathematics as the step-by-step
/// functions, arranged for speed.
///
/// Per batch, for layers l = 1…L with A[0] = X:
///
///     forward:   Z[l] = W[l]·A[l-1] + b[l];  A[l] = g[l](Z[l]) (l < L) or the head's output (l = L)
///     cost:      Σ loss(A[L], Y) over the batch                           (fused with the head)
///     backward:  dZ[L] = A[L] − onehot(Y)                                 (both heads' closed form)
///                dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ,  db[l] = (1/m)·Σ_columns dZ[l]
///                dZ[l-1] = (W[l]ᵀ·dZ[l]) ⊙ g′[l-1], g′ read from A[l-1]    (for l > 1 only)
///     update:    the optimiser's step on W[l] and b[l], in place
///
/// Differences from the step-by-step path, none of which changes a result beyond rounding:
/// dZ[L] is taken in closed form; each activation's derivative is read from A (tanh: 1 − A²;
/// relu: A > 0), so Z is not kept; and dA[0], the gradient for the input that nothing uses, is
/// never computed.
///
/// The course's next part adds, all on the same buffers: mini-batches (the examples shuffled before
/// each epoch, each batch gathered into a buffer of its own from X kept example-major), L2 (λ/m·W added to dW,
/// λ/(2m)·Σ‖W‖² to the cost), inverted dropout on hidden layers (A ⊙ D / keep_prob forward, the same
/// mask backward), and any `Optimizer` with its state kept per parameter.
///
/// The dual path (`DualFirstLayer`, see `EngineSelection.dual`) replaces the two products with X
/// by Z1 = P + C·G with P = W1(0)·X and G = XᵀX computed once, and the update of W1 by
/// C −= (α/m)·dZ1; W1 = W1(0) + C·Xᵀ is formed only when the parameters are read. It needs an
/// optimiser whose step stays in the span of the gradients (`OptimizerFunction.linearForm`).
///
/// On the direct path with plain steps the two products with X are fused into one sweep over X,
/// block of rows by block of rows, so that X is read from memory once per iteration instead of
/// twice (the products are bound by memory bandwidth, not arithmetic): for each block X_b of
/// input features,
///
///     W1[:, b] −= (α/m)·dZ1·X_bᵀ          (this iteration's update of W1, in place)
///     Z1_next  += W1[:, b]·X_b            (the next iteration's first product)
///
/// while X_b is still in cache. Z1_next is exactly W1(t+1)·X, summed in another order.
///
/// On the dual path and the sweep, the heavy work (the first product with X, the sweep, or C·G)
/// runs either on BLAS's own threads or split between this engine's threads, each part on one BLAS
/// thread. Everywhere else each batch is split by columns between the engine's threads
/// (`columnParts`): each part runs the forward and backward pass for its columns into its own
/// share of the gradients, and each thread then sums one slice of the shares and steps it. The
/// buffers stay one batch wide; a part works on a block of their columns (row stride `batch`).
/// Nothing is allocated per iteration.
///
/// The engine owns the layers' buffers and the order of the work; the other concerns are parts
/// of their own: `BatchShuffle` (mini-batches), `DropoutMasks`, `OptimizerMoments`,
/// `DualFirstLayer`, and the heavy products and the sweep (`TrainingEngine+Parallel`).
final class TrainingEngine<Scalar: EngineScalar> {
    let network: Network
    let sizes: [Int]
    let m: Int
    let plan: TrainingPlan
    let options: TrainingOptions
    /// The hidden layers' activations (layer 1 first) and the head.
    let activations: [any ActivationFunction]
    let head: any OutputFunction
    /// X and the labels Y (1×m, one class index per example). X is n0×m (one column per example)
    /// except on the direct path with mini-batches, where it is m×n0 (`exampleMajor`: one row per
    /// example, so that a batch is gathered a row at a time).
    let X, Y: UnsafeMutableBufferPointer<Scalar>
    let exampleMajor: Bool
    /// Per layer l (index l − 1): parameters, gradients, activations A[l] and dZ[l] (a batch wide).
    let W, b, dW, db, A, dZ: [UnsafeMutableBufferPointer<Scalar>]
    /// Examples in the current batch, and the largest batch.
    var batch = 0
    let maxBatch: Int
    var shuffle: BatchShuffle<Scalar>
    var dropout: DropoutMasks<Scalar>
    var moments: OptimizerMoments<Scalar>
    /// The dual path's first layer; nil on the direct path.
    let dual: DualFirstLayer<Scalar>?
    /// Full-batch plain steps without L2 on the direct path fuse the two products with X.
    let fused: Bool
    /// The products worth parallelising: direct, [W1·X] (the first iteration's); dual, [C·G].
    var heavy: [PlannedProduct<Scalar>] = []
    /// For each heavy job (the products, then on the direct path the sweep): split between our threads?
    var splitsHeavy: [Bool] = []
    /// Direct path: A[0] already holds Z1 = W1·X, left there by the last sweep.
    var firstLayerReady = false
    /// Direct path: the sweep's learning rate, set before each sweep.
    var sweepLearningRate: Scalar = 0
    /// Direct path: rows of X per block of the sweep, and each extra thread's share of Z1_next.
    let blockRows: Int
    let partials: [UnsafeMutableBufferPointer<Scalar>]
    var runner: ParallelRunner?
    /// Data parallelism within the process: each batch's columns are split into this many parts,
    /// each part's forward and backward run on a thread of its own (one BLAS thread each), and
    /// their gradients are summed (see `TrainingEngine+Parallel`). 1: one thread does the batch.
    var columnParts = 1
    /// Parts 1… of a split batch write their gradient sums here, per layer (part 0 writes dW and
    /// db themselves), and each part its loss summed.
    let partDW, partDB: [[UnsafeMutableBufferPointer<Scalar>]]
    let partLoss: UnsafeMutableBufferPointer<Double>
    /// A batch of ones, for the bias gradients' sums.
    let ones: UnsafeMutableBufferPointer<Scalar>
    /// Distributed training: the job's processes, each holding a shard of the examples, whose
    /// gradient sums are added up after every batch (full batches on the direct path only).
    let communicator: Communicator?
    /// The examples of every shard together (m when not distributed): the m of 1/m.
    let totalExamples: Int
    /// The examples this process holds, of all processes' (all of them when not distributed).
    let shard: Range<Int>
    /// Distributed full batches: the places of this shard's examples in the batch of all of them.
    let shardPlaces: UnsafeMutableBufferPointer<Int>
    /// Distributed: the examples in the current batch of all processes.
    var globalBatch = 0
    /// The learning rate of the step `finishStep` takes.
    var stepLearningRate = 0.0
    /// The batch the parts work on (data, labels and columns as `lossAndGradients` takes them).
    var currentBatch: (UnsafeMutablePointer<Scalar>, UnsafeMutablePointer<Scalar>, Range<Int>)?
    /// The system would not start the engine's helper threads (see `chooseParallelism`).
    var threadsRefused = false
    let previousBLASThreads = blasThreadCount()

    var isDual: Bool { dual != nil }

    /// Whether the fused sweep over X beats two plain products, by a rule on the shapes (never a
    /// timing, so rounding never depends on the machine's load). The sweep pays when the products
    /// are bound by memory: X too large to stay in cache between the two products (over 4 MB: a
    /// core's L2 and its share of L3), few first-layer units (at most 64: about 2·n1 operations
    /// per element of X read, below what a core does per byte it loads) and Z1 and dZ1 small
    /// enough (n1·m scalars, at most 1 MB) to stay in cache while every block of X is applied to
    /// them. Otherwise, as on tall data (50,000 examples, 128 units), each block would be one
    /// row, and two plain BLAS products, bound by arithmetic, run at the machine's rate; and X
    /// that fits in cache (digits: 64×1347) is read twice at cache speed, with every layer's work
    /// split by columns between the threads (`columnParts`).
    static func fusionPays(features n0: Int, units n1: Int, examples m: Int) -> Bool {
        n1 <= 64 && n1 * m * MemoryLayout<Scalar>.size <= 1 << 20 && n0 * m * MemoryLayout<Scalar>.size > 4 << 20
    }
    var layerCount: Int { sizes.count - 1 }

    /// Copies X (n[0]×m), Y (1×m, class indices) and the parameters into the engine's precision
    /// and prepares the path `plan` chose. `network` gives the activations and the head (by
    /// default the course's: relu hidden layers and the head that fits the output size).
    /// With `materialisesGradients`, every layer's dW is computed on its own (no fused sweep), as
    /// the gradient check needs. `resuming` is an optimiser state saved by an earlier run; it is
    /// taken up only by the same optimiser. `sweep` overrides `fusionPays` where the sweep is
    /// possible (for tests, which hold both ways to the same results on small data).
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

    /// The same from features in any form, converted straight into the engine's precision and
    /// layout (standardised on the way when `standardization` is given): X is never widened to
    /// Double on the way.
    init(
        parameters: Parameters, features: FeatureMatrix, standardization: Standardization?, Y: Matrix,
        plan: TrainingPlan, options: TrainingOptions, network: Network? = nil, materialisesGradients: Bool = false,
        resuming state: OptimizerState? = nil, sweep: Bool? = nil, communicator: Communicator? = nil,
        totalExamples: Int? = nil
    ) {
        precondition(communicator == nil || plan.engine == .direct, "distributed training takes the direct path")
        self.communicator = communicator
        let total = totalExamples ?? features.examples
        self.totalExamples = total
        shard = communicator?.shard(of: total) ?? 0..<features.examples
        precondition(
            shard.count == features.examples, "this process holds \(features.examples) examples, not its shard \(shard)"
        )
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        let network = network ?? Network(layerSizes: sizes)
        precondition(network.layerSizes == sizes, "TrainingEngine: network \(network.layerSizes), parameters \(sizes)")
        self.network = network
        self.sizes = sizes
        activations = network.hidden.map(\.activation.function)
        head = network.head.function
        m = features.examples
        self.plan = plan
        self.options = options
        let batched = options.miniBatchSize != nil
        exampleMajor = batched && plan.engine != .dual
        self.X = .allocate(capacity: features.features * features.examples)
        features.write(into: self.X, exampleMajor: exampleMajor, standardization: standardization)
        self.Y = .allocate(copying: Y.scalars)
        // Distributed, a batch holds at most this many of all processes' examples.
        let largestBatch = min(options.miniBatchSize ?? total, total)
        let batchCapacity = min(options.miniBatchSize ?? m, m)
        maxBatch = batchCapacity
        W = parameters.layers.map { .allocate(copying: $0.W.scalars) }
        b = parameters.layers.map { .allocate(copying: $0.b.scalars) }
        dW = parameters.layers.map { .allocateZeroed($0.W.scalars.count) }
        db = parameters.layers.map { .allocateZeroed($0.b.scalars.count) }
        A = sizes.dropFirst().map { .allocateZeroed($0 * batchCapacity) }
        dZ = sizes.dropFirst().map { .allocateZeroed($0 * batchCapacity) }
        shuffle = BatchShuffle(
            features: sizes[0], examples: total, batchCapacity: batchCapacity, enabled: batched,
            gathersFeatures: exampleMajor, seed: state?.shuffleSeed ?? 10)
        dropout = DropoutMasks(
            hiddenUnits: Array(sizes.dropFirst().dropLast()), batchCapacity: batchCapacity,
            keepProb: options.keepProb, seeding: options.dropoutSeeding, seed: options.dropoutSeed,
            largestBatch: communicator == nil ? 0 : largestBatch)
        shardPlaces = .allocate(capacity: communicator != nil && !batched ? m : 0)
        for j in 0..<shardPlaces.count { shardPlaces[j] = shard.lowerBound + j }
        moments = OptimizerMoments(optimizer: options.optimizer, parameters: parameters, resuming: state)
        let form = options.optimizer.function.linearForm
        if plan.engine == .dual, let form {
            dual = DualFirstLayer(
                X: self.X, initialWeights: W[0], features: sizes[0], units: sizes[1], examples: m,
                batchCapacity: batchCapacity, batched: batched, form: form, threads: plan.threads)
        } else {
            precondition(
                plan.engine != .dual, "the plan takes the dual path only for steps in the span of the gradients")
            dual = nil
        }
        fused =
            dual == nil && !batched && form == .plain && options.l2 == 0 && !materialisesGradients
            && communicator == nil
            && (sweep ?? Self.fusionPays(features: sizes[0], units: sizes[1], examples: m))
        // Blocks of about 512 KB, half of a core's L2 cache on current x86 and Apple cores.
        blockRows = max(16, (512 * 1024) / (m * MemoryLayout<Scalar>.size))
        let partialCount = sizes[1] * m
        partials = dual != nil || !fused ? [] : (1..<plan.threads).map { _ in .allocateZeroed(partialCount) }
        let parts =
            dual == nil && !fused && !materialisesGradients && communicator == nil
            ? Self.columnParts(sizes: sizes, batch: batchCapacity, threads: plan.threads, parallelism: plan.parallelism)
            : 1
        partDW = (1..<parts).map { _ in parameters.layers.map { .allocateZeroed($0.W.scalars.count) } }
        partDB = (1..<parts).map { _ in parameters.layers.map { .allocateZeroed($0.b.scalars.count) } }
        partLoss = .allocateZeroed(parts)
        ones = .allocate(capacity: batchCapacity)
        ones.initialize(repeating: 1)
        columnParts = parts
        heavy = [
            dual?.product(into: A[0])
                ?? PlannedProduct(
                    transposeA: false, transposeB: false, m: sizes[1], n: m, k: sizes[0], alpha: 1,
                    a: W[0].baseAddress!, lda: sizes[0], b: self.X.baseAddress!, ldb: m, beta: 0,
                    c: A[0].baseAddress!, ldc: m)
        ]
        chooseParallelism()
    }

    deinit {
        setBLASThreadCount(previousBLASThreads)
        for buffer in [X, Y] + W + b + dW + db + A + dZ + partials + partDW.joined() + partDB.joined() + [ones] {
            buffer.deallocate()
        }
        partLoss.deallocate()
        shardPlaces.deallocate()
        shuffle.deallocate()
        dropout.deallocate()
        moments.deallocate()
    }

    /// One pass over the data (an iteration of full-batch training, or an epoch of mini-batches):
    /// forward, cost, backward and update for each batch. Returns the cost before the updates: the
    /// loss summed over all examples / m (plus the L2 penalty for full batches).
    func epoch(learningRate: Double) -> Double {
        guard options.miniBatchSize != nil else {
            batch = m
            globalBatch = totalExamples
            let sum = lossAndGradients(X.baseAddress!, Y.baseAddress!, columns: 0..<m)
            let penalty = options.l2 > 0 ? l2Penalty() : 0
            update(columns: 0..<m, learningRate: learningRate)
            return sum / Double(totalExamples) + penalty
        }
        shuffle.shuffle()
        // The dual path reads a batch's features through its examples' indices, not X.
        let (data, labels) = (shuffle.batchX.baseAddress ?? X.baseAddress!, shuffle.batchY.baseAddress!)
        var total = 0.0
        let size = communicator == nil ? maxBatch : options.miniBatchSize!
        for start in stride(from: 0, to: totalExamples, by: size) {
            let places = start..<min(start + size, totalExamples)
            if communicator != nil {
                // Every process walks every batch; each gathers the examples its shard holds.
                globalBatch = places.count
                batch = shuffle.select(places, shard: shard, X: X.baseAddress!, Y: Y.baseAddress!)
            } else {
                batch = places.count
                // Split batches are gathered by their parts, each its own columns.
                if columnParts == 1 { gather(places) }
            }
            total += lossAndGradients(data, labels, columns: places)
            update(columns: places, learningRate: learningRate)
        }
        return total / Double(totalExamples)
    }

    /// Gathers the examples at places `places` of the shuffle into the batch's buffers, from
    /// place `offset` of the batch on.
    func gather(_ places: Range<Int>, at offset: Int = 0) {
        shuffle.gather(places, at: offset, X: exampleMajor ? X.baseAddress! : nil, Y: Y.baseAddress!)
    }

    /// λ/(2m)·Σ‖W[l]‖², as the course writes it: (1/m)·(λ/2)·(Σ W1² + Σ W2² + …).
    func l2Penalty() -> Double {
        var squares = dual?.firstLayerSquares ?? 0
        for index in (isDual ? 1 : 0)..<layerCount {
            for k in 0..<W[index].count { squares += Double(W[index][k] * W[index][k]) }
        }
        return 1 / Double(totalExamples) * (options.l2 / 2) * squares
    }

    /// The input of layer `index` for the batch's columns `part` (a range of 0..<batch): its
    /// pointer, its row stride, and whether it holds one row per example (then it is read
    /// transposed). For the first layer, the batch's columns of X (stride m) for full batches, or
    /// the gathered batch (batch×n0, stride n0) for mini-batches; A of the layer before (stride
    /// `batch`) after it.
    func input(
        ofLayer index: Int, _ data: UnsafeMutablePointer<Scalar>, _ columns: Range<Int>, part: Range<Int>
    ) -> (pointer: UnsafeMutablePointer<Scalar>, stride: Int, exampleMajor: Bool) {
        guard index == 0 else { return (A[index - 1].baseAddress! + part.lowerBound, batch, false) }
        return exampleMajor
            ? (data + part.lowerBound * sizes[0], sizes[0], true)
            : (data + columns.lowerBound + part.lowerBound, m, false)
    }

    /// The examples (columns of X) at places `places` of the epoch's shuffle.
    func examples(_ places: Range<Int>) -> ArraySlice<Int> { shuffle.order[places] }

    /// Forward and backward over one batch: `data` and `labels` as `epoch` gives them (X and Y, or
    /// the gathered batch), `columns` its columns of X (full batch) or places in the shuffle.
    /// Leaves dW and db (the gradients of the batch's mean loss, with L2's term) and dZ[1] for
    /// `update`, and returns the loss summed over the batch. With several `columnParts`, each part
    /// of the batch's columns runs on a thread of its own, and leaves its share of the gradients
    /// for `update` to sum (`finishStep`).
    func lossAndGradients(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>
    ) -> Double {
        if communicator == nil {
            dropout.draw(examples: batch)
        } else {
            let kept = options.miniBatchSize == nil ? shardPlaces.baseAddress! : shuffle.positions.baseAddress!
            dropout.draw(examples: globalBatch, keeping: UnsafeBufferPointer(start: kept, count: batch))
        }
        var loss: Double
        if columnParts > 1 {
            currentBatch = (data, labels, columns)
            runner!.run(job: Self.columnPartsJob)
            loss = 0
            for part in 0..<activeParts { loss += partLoss[part] }
            return loss
        }
        if batch > 0 {
            loss = forward(data, labels, columns: columns, part: 0..<batch)
            backward(data, labels, columns: columns, part: 0..<batch, into: 0)
        } else {
            // Distributed: no example of this batch in this shard; it adds nothing to the sums.
            loss = 0
            for index in 0..<layerCount {
                dW[index].update(repeating: 0)
                db[index].update(repeating: 0)
            }
        }
        if let communicator { loss = sumOverShards(communicator, loss: loss) }
        for index in (isDual ? 1 : 0)..<layerCount { addL2(layer: index, 0..<W[index].count) }
        return loss
    }

    /// The examples the batch's gradients average over: the batch, or with shards every shard's
    /// examples together.
    var gradientExamples: Int { communicator == nil ? batch : globalBatch }

    /// Adds every shard's gradient sums (dW, db: already over the m of all shards) and loss
    /// together, so that every process holds the whole batch's; returns the loss. A failure
    /// ends the whole job with one line.
    func sumOverShards(_ communicator: Communicator, loss: Double) -> Double {
        var total = loss
        do {
            for index in 0..<layerCount {
                try communicator.sum(dW[index].baseAddress!, count: dW[index].count)
                try communicator.sum(db[index].baseAddress!, count: db[index].count)
            }
            try communicator.sum(&total, count: 1)
        } catch {
            FileHandle.standardError.write(Data("dnn: rank \(communicator.rank): \(error)\n".utf8))
            communicator.abort(status: 1)
        }
        return total
    }

    /// dW[l] += (λ/m)·W[l] on entries `slice`, L2's term of the gradient (nothing without L2).
    func addL2(layer index: Int, _ slice: Range<Int>) {
        guard options.l2 > 0 else { return }
        Scalar.axpy(
            count: slice.count, alpha: Scalar(options.l2) * (1 / Scalar(gradientExamples)),
            x: W[index].baseAddress! + slice.lowerBound, y: dW[index].baseAddress! + slice.lowerBound)
    }

    /// How many parts the current batch is split into: `columnParts`, or fewer for a batch of fewer columns.
    var activeParts: Int { min(columnParts, batch) }

    /// The columns of part `part` of the current batch, a range of 0..<batch.
    func columns(ofPart part: Int) -> Range<Int> { nearEqualPart(part, of: activeParts, count: batch) }

    /// Part `part`'s share of `lossAndGradients`, on one of the runner's threads: its columns of
    /// a mini-batch gathered, then its forward and backward pass.
    func runColumnPart(_ part: Int) {
        guard part < activeParts, let (data, labels, columns) = currentBatch else { return }
        let block = self.columns(ofPart: part)
        if options.miniBatchSize != nil {
            gather(
                (columns.lowerBound + block.lowerBound)..<(columns.lowerBound + block.upperBound), at: block.lowerBound)
        }
        partLoss[part] = forward(data, labels, columns: columns, part: block)
        backward(data, labels, columns: columns, part: block, into: part)
    }

    /// Part `part`'s share of the step after a split batch, on the part-th slice of each layer's
    /// entries: the parts' gradients summed into dW and db (part 0's first), L2's term, and the
    /// optimiser's step (`stepLearningRate`).
    func finishStep(_ part: Int) {
        for index in 0..<layerCount {
            let weights = slice(part, of: W[index].count), biases = slice(part, of: b[index].count)
            sum(weights, of: dW[index], partDW, layer: index)
            sum(biases, of: db[index], partDB, layer: index)
            addL2(layer: index, weights)
            moments.update(W[index], dW[index], moments.weights[index], rate: stepLearningRate, slice: weights)
            moments.update(b[index], db[index], moments.biases[index], rate: stepLearningRate, slice: biases)
        }
    }

    /// The part-th of `columnParts` near-equal slices of `count` entries.
    func slice(_ part: Int, of count: Int) -> Range<Int> { nearEqualPart(part, of: columnParts, count: count) }

    /// Adds the other parts' entries `slice` of layer `index`'s gradient (in `partials`) to `total`.
    private func sum(
        _ slice: Range<Int>, of total: UnsafeMutableBufferPointer<Scalar>,
        _ partials: [[UnsafeMutableBufferPointer<Scalar>]], layer index: Int
    ) {
        guard !slice.isEmpty else { return }
        for other in 1..<activeParts {
            Scalar.axpy(
                count: slice.count, alpha: 1, x: partials[other - 1][index].baseAddress! + slice.lowerBound,
                y: total.baseAddress! + slice.lowerBound)
        }
    }

    /// The forward pass over the batch's columns `part`; returns their loss summed.
    func forward(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>,
        part: Range<Int>
    ) -> Double {
        let width = part.count
        for index in 0..<layerCount {
            let rows = sizes[index + 1], inner = sizes[index]
            let output = A[index].baseAddress! + part.lowerBound, bias = b[index]
            if index == 0, let dual {
                if options.miniBatchSize == nil {
                    dual.forward(into: A[0], l2: options.l2 > 0) { runHeavy(0) }
                } else {
                    dual.forward(into: A[0], examples: examples(columns))
                }
            } else if index == 0 && fused {
                if !firstLayerReady { runHeavy(0) }
            } else {
                let source = input(ofLayer: index, data, columns, part: part)
                Scalar.gemm(
                    transposeA: false, transposeB: source.exampleMajor, m: rows, n: width, k: inner,
                    alpha: 1, a: W[index].baseAddress!, lda: inner, b: source.pointer, ldb: source.stride,
                    beta: 0, c: output, ldc: batch)
            }
            if index < layerCount - 1 {
                Scalar.activate(
                    activations[index], output, bias: bias.baseAddress!, rows: rows, cols: width, stride: batch)
                if dropout.isActive {
                    dropout.apply(
                        layer: index, to: output, column: part.lowerBound, rows: rows, cols: width, stride: batch)
                }
            } else {
                // The head and its loss in one pass, summed in Double.
                return Scalar.activate(
                    head, output, bias: bias.baseAddress!, units: rows, cols: width, stride: batch,
                    labels: batchLabels(labels, columns) + part.lowerBound)
            }
        }
        preconditionFailure("a network has an output layer")
    }

    /// The batch's labels: its columns of Y for a full batch, the gathered ones for mini-batches.
    func batchLabels(_ labels: UnsafeMutablePointer<Scalar>, _ columns: Range<Int>) -> UnsafeMutablePointer<Scalar> {
        options.miniBatchSize == nil ? labels + columns.lowerBound : labels
    }

    /// dZ[L] = A[L] − onehot(Y) on the batch's columns `part`: the closed form of both heads (for
    /// one sigmoid unit, onehot(y) is y itself). `labels` are the batch's.
    func outputGradient(_ labels: UnsafeMutablePointer<Scalar>, part: Range<Int>) {
        let last = layerCount - 1, units = sizes[layerCount], width = part.count
        let output = A[last].baseAddress! + part.lowerBound, gradient = dZ[last].baseAddress! + part.lowerBound
        let labels = labels + part.lowerBound
        if units == 1 {
            for j in 0..<width { gradient[j] = output[j] - labels[j] }
            return
        }
        for k in 0..<units { (gradient + k * batch).update(from: output + k * batch, count: width) }
        for j in 0..<width { gradient[classIndex(labels[j]) * batch + j] -= 1 }
    }

    /// The backward pass over the batch's columns `part`, from dZ[L]: writes part `into`'s share
    /// of the gradients of the batch's mean loss (part 0 into dW and db, the others into their
    /// own buffers), and dZ of every layer on those columns. The first layer's dW is left to the
    /// update on the dual path and the fused sweep, which read dZ[1] instead.
    func backward(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>,
        part: Range<Int>, into target: Int
    ) {
        outputGradient(batchLabels(labels, columns), part: part)
        let inverseM = 1 / Scalar(gradientExamples), width = part.count
        for index in stride(from: layerCount - 1, through: 0, by: -1) {
            let rows = sizes[index + 1], inner = sizes[index]
            let gradient = dZ[index].baseAddress! + part.lowerBound
            let (weightGradient, biasGradient) =
                target == 0 ? (dW[index], db[index]) : (partDW[target - 1][index], partDB[target - 1][index])
            // db = (1/m)·dZ·1, summed by BLAS (a loop summing in order does not vectorise).
            Scalar.gemv(
                m: rows, n: width, alpha: inverseM, a: gradient, lda: batch, x: ones.baseAddress!,
                y: biasGradient.baseAddress!)
            if index == 0 && (isDual || fused) { continue }
            let source = input(ofLayer: index, data, columns, part: part)
            Scalar.gemm(
                transposeA: false, transposeB: !source.exampleMajor, m: rows, n: inner, k: width,
                alpha: inverseM, a: gradient, lda: batch, b: source.pointer, ldb: source.stride,
                beta: 0, c: weightGradient.baseAddress!, ldc: inner)
            if index > 0 {
                // dZ[l-1] = W[l]ᵀ·dZ[l], through dropout's mask and scale, then the activation's
                // derivative, read from A[l-1] (with dropout, at A·keep_prob: the kept units'
                // values before the 1/keep_prob scaling; the dropped ones have a zero gradient).
                let previous = dZ[index - 1].baseAddress! + part.lowerBound
                let activation = A[index - 1].baseAddress! + part.lowerBound
                Scalar.gemm(
                    transposeA: true, transposeB: false, m: inner, n: width, k: rows,
                    alpha: 1, a: W[index].baseAddress!, lda: inner, b: gradient, ldb: batch,
                    beta: 0, c: previous, ldc: batch)
                if dropout.isActive {
                    dropout.backpropagate(
                        layer: index - 1, previous, column: part.lowerBound, rows: inner, cols: width, stride: batch)
                }
                Scalar.backpropagate(
                    activations[index - 1], previous, output: activation, scale: dropout.keepProb, rows: inner,
                    cols: width, stride: batch)
            }
        }
    }

    /// The optimiser's step on every layer from the gradients `lossAndGradients` left, in place;
    /// on the dual path C's update, with the fused sweep W1's update and the next Z1 = W1·X.
    func update(columns: Range<Int>, learningRate: Double) {
        moments.step += 1
        if columnParts > 1 {
            stepLearningRate = learningRate
            runner!.run(job: Self.finishStepJob)
            return
        }
        for index in 0..<layerCount {
            moments.update(b[index], db[index], moments.biases[index], rate: learningRate)
            if index == 0, let dual {
                let batchExamples = options.miniBatchSize == nil ? nil : examples(columns)
                dual.update(gradient: dZ[0], examples: batchExamples, rate: Scalar(learningRate), l2: options.l2)
            } else if index == 0 && fused {
                // The fused sweep: W1's update and the next iteration's Z1 = W1·X in one pass over X.
                sweepLearningRate = Scalar(learningRate)
                runHeavy(sweepJob)
                firstLayerReady = true
            } else {
                moments.update(W[index], dW[index], moments.weights[index], rate: learningRate)
            }
        }
    }

    /// The optimiser's state now, to be saved with the model; on the dual path momentum's v1 is
    /// formed from its span.
    var optimizerState: OptimizerState {
        var saved = moments.saved
        if !saved.isEmpty, let velocity = dual?.formVelocity() {
            defer { velocity.deallocate() }
            saved[0] = velocity.map { Double($0) }
        }
        return OptimizerState(
            optimizer: options.optimizer, step: moments.step, shuffleSeed: shuffle.seed, moments: saved)
    }

    /// The current parameters, widened to `Double`; on the dual path W1 = a·W1(0) + C·Xᵀ is formed here.
    var parameters: Parameters {
        if let dual {
            // W[0] still holds W1(0); form W1 in a copy so that training can go on afterwards.
            let firstW = dual.formWeights()
            defer { firstW.deallocate() }
            return parameters(firstW: firstW)
        }
        return parameters(firstW: W[0])
    }

    func parameters(firstW: UnsafeMutableBufferPointer<Scalar>) -> Parameters {
        Parameters(
            layers: (0..<layerCount).map { index in
                let weights = index == 0 ? firstW : W[index]
                return LayerParameters(
                    W: Matrix(rows: sizes[index + 1], cols: sizes[index], scalars: weights.map { Double($0) }),
                    b: Matrix(rows: sizes[index + 1], cols: 1, scalars: b[index].map { Double($0) }))
            })
    }
}
