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
/// The course's next part adds, all on the same buffers: mini-batches (the data shuffled before
/// each epoch into a copy of X, batches read in place by their columns), L2 (λ/m·W added to dW,
/// λ/(2m)·Σ‖W‖² to the cost), inverted dropout on hidden layers (A ⊙ D / keep_prob forward, the same
/// mask backward), and any `Optimizer` with its state kept per parameter.
///
/// The dual path (see `EngineSelection.dual`) replaces the two products with X by
/// Z1 = P + C·G with P = W1(0)·X and G = XᵀX computed once, and the update of W1 by
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
/// The heavy work (the first product with X, the sweep, or C·G) runs either on BLAS's own threads
/// or split between this engine's threads, each part on one BLAS thread, as `TrainingPlan` says.
/// Nothing is allocated per iteration.
final class TrainingEngine<Scalar: EngineScalar> {
    let network: Network
    let sizes: [Int]
    let m: Int
    let plan: TrainingPlan
    let options: TrainingOptions
    /// The hidden layers' activations (layer 1 first), the head, and the optimiser's rule.
    let activations: [any ActivationFunction]
    let head: any OutputFunction
    let optimizer: any OptimizerFunction
    let X: UnsafeMutableBufferPointer<Scalar>
    /// The labels, one class index per example.
    let Y: UnsafeMutableBufferPointer<Scalar>
    /// Mini-batch mode: the epoch's shuffled copies of X and Y, the permutation, and its seed.
    let shuffledX, shuffledY: UnsafeMutableBufferPointer<Scalar>
    var order: [Int]
    var shuffleSeed: UInt32 = 10
    var shuffler = NumPyRandom(seed: 10)
    /// Examples in the current batch, and the largest batch.
    var batch = 0
    let maxBatch: Int
    /// Dropout masks of the hidden layers (1 kept, 0 dropped), and their generator.
    let D: [UnsafeMutableBufferPointer<Scalar>]
    var maskSource: NumPyRandom
    /// The optimiser's state per layer, for W and for b: `stateCount` moments per entry.
    let stateW, stateB: [UnsafeMutableBufferPointer<Scalar>]
    /// t, the optimiser steps (batches) taken so far.
    var step = 0
    /// Full-batch plain steps without L2 on the direct path fuse the two products with X.
    let fused: Bool
    /// Per layer l (index l − 1): parameters, gradients, activations A[l] and dZ[l].
    let W, b, dW, db, A, dZ: [UnsafeMutableBufferPointer<Scalar>]
    /// Dual path only: G = XᵀX (m×m), P = W1(0)·X (n1×m), C (n1×m); empty otherwise.
    /// W1 = a·W1(0) + C·Xᵀ (a, `weightScale`, moves only under L2) and, with momentum,
    /// v1 = c·W1(0) + V·Xᵀ (c, `velocityScale`; V, `velocity`). W[0] keeps W1(0).
    let gram, projection, coefficients: UnsafeMutableBufferPointer<Scalar>
    let velocity: UnsafeMutableBufferPointer<Scalar>
    /// Dual path with mini-batches: the batch's columns of G, gathered.
    let gatheredGram: UnsafeMutableBufferPointer<Scalar>
    var weightScale: Scalar = 1
    var velocityScale: Scalar = 0
    /// ‖W1(0)‖², and ‖W1‖² as the last full-batch forward pass found it (for the L2 penalty).
    var initialSquares = 0.0
    var firstLayerSquares = 0.0
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
    let previousBLASThreads = blasThreadCount()

    var isDual: Bool { plan.engine == .dual }
    var layerCount: Int { sizes.count - 1 }

    /// Copies X (n[0]×m), Y (1×m, class indices) and the parameters into the engine's precision
    /// and prepares the path `plan` chose. `network` gives the activations and the head (by
    /// default the course's: relu hidden layers and the head that fits the output size).
    /// With `materialisesGradients`, every layer's dW is computed on its own (no fused sweep), as
    /// the gradient check needs. `resuming` is an optimiser state saved by an earlier run; it is
    /// taken up only by the same optimiser.
    init(
        parameters: Parameters, X: Matrix, Y: Matrix, plan: TrainingPlan, options: TrainingOptions,
        network: Network? = nil, materialisesGradients: Bool = false, resuming state: OptimizerState? = nil
    ) {
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        let network = network ?? Network(layerSizes: sizes)
        precondition(network.layerSizes == sizes, "TrainingEngine: network \(network.layerSizes), parameters \(sizes)")
        self.network = network
        self.sizes = sizes
        activations = network.hidden.map(\.activation.function)
        head = network.head.function
        optimizer = options.optimizer.function
        m = X.cols
        self.plan = plan
        self.options = options
        self.X = Self.buffer(X.scalars)
        self.Y = Self.buffer(Y.scalars)
        let batched = options.miniBatchSize != nil
        let batchCapacity = min(options.miniBatchSize ?? X.cols, X.cols)
        maxBatch = batchCapacity
        shuffledX = Self.zeros(batched ? X.scalars.count : 0)
        shuffledY = Self.zeros(batched ? X.cols : 0)
        order = batched ? Array(0..<X.cols) : []
        W = parameters.layers.map { Self.buffer($0.W.scalars) }
        b = parameters.layers.map { Self.buffer($0.b.scalars) }
        dW = parameters.layers.map { Self.zeros($0.W.scalars.count) }
        db = parameters.layers.map { Self.zeros($0.b.scalars.count) }
        A = sizes.dropFirst().map { Self.zeros($0 * batchCapacity) }
        dZ = sizes.dropFirst().map { Self.zeros($0 * batchCapacity) }
        let dropout = options.keepProb < 1
        D = sizes.dropFirst().dropLast().map {
            Self.zeros(dropout ? $0 * batchCapacity : 0)
        }
        maskSource = NumPyRandom(seed: options.dropoutSeeding == .course ? 1 : options.dropoutSeed)
        // A saved state is taken up only by the same optimiser; anything else starts afresh.
        let resumed = state.flatMap { $0.optimizer == options.optimizer ? $0 : nil }
        let slots = options.optimizer.function.stateCount
        func moments(_ which: Int, _ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
            if let saved = resumed?.moments, which < saved.count, saved[which].count == slots * count {
                return Self.buffer(saved[which])
            }
            return Self.zeros(slots * count)
        }
        stateW = parameters.layers.indices.map { moments(2 * $0, parameters.layers[$0].W.scalars.count) }
        stateB = parameters.layers.indices.map { moments(2 * $0 + 1, parameters.layers[$0].b.scalars.count) }
        step = resumed?.step ?? 0
        shuffleSeed = state?.shuffleSeed ?? 10
        let dual = plan.engine == .dual
        let form = options.optimizer.function.linearForm
        fused = !dual && !batched && form == .plain && options.l2 == 0 && !materialisesGradients
        gram = Self.zeros(dual ? m * m : 0)
        projection = Self.zeros(dual ? sizes[1] * m : 0)
        coefficients = Self.zeros(dual ? sizes[1] * m : 0)
        let heavyBall = if case .heavyBall = form { true } else { false }
        velocity = Self.zeros(dual && heavyBall ? sizes[1] * m : 0)
        gatheredGram = Self.zeros(dual && batched ? m * maxBatch : 0)
        // Blocks of about 512 KB, half of a core's L2 cache on current x86 and Apple cores.
        blockRows = max(16, (512 * 1024) / (m * MemoryLayout<Scalar>.size))
        let partialCount = parameters.W(1).rows * X.cols
        partials = dual || !fused ? [] : (1..<plan.threads).map { _ in Self.zeros(partialCount) }
        if dual { prepareDual() }
        heavy = [
            dual
                ? product(coefficients, gram, into: A[0], rows: sizes[1], inner: m, beta: 1)
                : product(W[0], self.X, into: A[0], rows: sizes[1], inner: sizes[0], beta: 0)
        ]
        chooseParallelism()
    }

    deinit {
        setBLASThreadCount(previousBLASThreads)
        for buffer in [X, Y, shuffledX, shuffledY, gram, projection, coefficients, velocity, gatheredGram]
            + W + b + dW + db + A + dZ + partials + D + stateW + stateB
        {
            buffer.deallocate()
        }
    }

    static func buffer(_ values: [Double]) -> UnsafeMutableBufferPointer<Scalar> {
        let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values.lazy.map { Scalar($0) })
        return buffer
    }

    static func zeros(_ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
        let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: count)
        buffer.initialize(repeating: 0)
        return buffer
    }

    /// C ← left·right (+ C when beta is 1), left rows×inner and right inner×m, all untransposed.
    func product(
        _ left: UnsafeMutableBufferPointer<Scalar>, _ right: UnsafeMutableBufferPointer<Scalar>,
        into result: UnsafeMutableBufferPointer<Scalar>, rows: Int, inner: Int, beta: Scalar
    ) -> PlannedProduct<Scalar> {
        PlannedProduct(
            transposeA: false, transposeB: false, m: rows, n: m, k: inner, alpha: 1, a: left.baseAddress!,
            lda: inner, b: right.baseAddress!, ldb: m, beta: beta, c: result.baseAddress!, ldc: m)
    }

    /// One pass over the data (an iteration of full-batch training, or an epoch of mini-batches):
    /// forward, cost, backward and update for each batch. Returns the cost before the updates: the
    /// loss summed over all examples / m (plus the L2 penalty for full batches).
    func epoch(learningRate: Double) -> Double {
        guard options.miniBatchSize != nil else {
            batch = m
            let sum = forward(X.baseAddress!, Y.baseAddress!, columns: 0..<m)
            let penalty = options.l2 > 0 ? l2Penalty() : 0
            backwardAndUpdate(X.baseAddress!, Y.baseAddress!, columns: 0..<m, learningRate: learningRate)
            return sum / Double(m) + penalty
        }
        shuffle()
        var total = 0.0
        for start in stride(from: 0, to: m, by: maxBatch) {
            let columns = start..<min(start + maxBatch, m)
            batch = columns.count
            total += forward(shuffledX.baseAddress!, shuffledY.baseAddress!, columns: columns)
            backwardAndUpdate(
                shuffledX.baseAddress!, shuffledY.baseAddress!, columns: columns, learningRate: learningRate)
        }
        return total / Double(m)
    }

    /// The course's `random_mini_batches`: seed + 1, then X[:, permutation(m)] and Y likewise.
    func shuffle() {
        shuffleSeed += 1
        shuffler.seed(shuffleSeed)
        for i in 0..<m { order[i] = i }
        shuffler.shuffle(&order)
        let n0 = sizes[0]
        for j in 0..<m {
            let source = order[j]
            shuffledY[j] = Y[source]
            for f in 0..<n0 { shuffledX[f * m + j] = X[f * m + source] }
        }
    }

    /// λ/(2m)·Σ‖W[l]‖², as the course writes it: (1/m)·(λ/2)·(Σ W1² + Σ W2² + …).
    func l2Penalty() -> Double {
        var squares = isDual ? firstLayerSquares : 0
        for index in (isDual ? 1 : 0)..<layerCount {
            for k in 0..<W[index].count { squares += Double(W[index][k] * W[index][k]) }
        }
        return 1 / Double(m) * (options.l2 / 2) * squares
    }

    /// The input of layer `index`, with its row stride: the batch's columns of X (stride m) for the
    /// first layer, A of the layer before (stride `batch`) after it.
    func input(ofLayer index: Int, _ data: UnsafeMutablePointer<Scalar>, _ columns: Range<Int>)
        -> (UnsafeMutablePointer<Scalar>, Int)
    {
        index == 0 ? (data + columns.lowerBound, m) : (A[index - 1].baseAddress!, batch)
    }

    /// The forward pass over the batch `columns` of `data` and `labels`; returns the loss summed
    /// over the batch.
    func forward(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>
    ) -> Double {
        if options.keepProb < 1 && options.dropoutSeeding == .course { maskSource.seed(1) }
        for index in 0..<layerCount {
            let rows = sizes[index + 1], inner = sizes[index]
            let output = A[index], bias = b[index]
            if index == 0 && isDual {
                dualForward(columns)
            } else if index == 0 && fused {
                if !firstLayerReady { runHeavy(0) }
            } else {
                let (source, stride) = input(ofLayer: index, data, columns)
                Scalar.gemm(
                    transposeA: false, transposeB: false, m: rows, n: batch, k: inner,
                    alpha: 1, a: W[index].baseAddress!, lda: inner, b: source, ldb: stride,
                    beta: 0, c: output.baseAddress!, ldc: batch)
            }
            if index < layerCount - 1 {
                Scalar.activate(
                    activations[index], output.baseAddress!, bias: bias.baseAddress!, rows: rows, cols: batch)
                if options.keepProb < 1 { dropOut(index) }
            } else {
                // The head and its loss in one pass, summed in Double.
                return Scalar.activate(
                    head, output.baseAddress!, bias: bias.baseAddress!, units: rows, cols: batch,
                    labels: labels + columns.lowerBound)
            }
        }
        preconditionFailure("a network has an output layer")
    }

    /// Inverted dropout on hidden layer `index`: D = rand < keep_prob, A = A ⊙ D / keep_prob.
    func dropOut(_ index: Int) {
        let keep = Scalar(options.keepProb), mask = D[index], output = A[index], count = sizes[index + 1] * batch
        // One access to the generator for the whole layer: a mutating call per draw on a class's
        // stored property would pay an exclusivity check each time.
        withUnsafeMutablePointer(to: &maskSource) { source in
            for j in 0..<count {
                mask[j] = Scalar(source.pointee.uniform()) < keep ? 1 : 0
                output[j] = output[j] * mask[j] / keep
            }
        }
    }

    /// dZ[L] = A[L] − onehot(Y) for the batch: the closed form of both heads (for one sigmoid
    /// unit, onehot(y) is y itself).
    func outputGradient(_ labels: UnsafeMutablePointer<Scalar>) {
        let last = layerCount - 1, units = sizes[layerCount]
        let output = A[last], gradient = dZ[last]
        if units == 1 {
            for j in 0..<batch { gradient[j] = output[j] - labels[j] }
            return
        }
        for k in 0..<units {
            let row = k * batch
            for j in 0..<batch { gradient[row + j] = output[row + j] - (Int(labels[j]) == k ? 1 : 0) }
        }
    }

    /// The backward pass from dZ[L], updating each layer's parameters in place once its W has
    /// served to carry the gradient further back.
    func backwardAndUpdate(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>,
        learningRate: Double, updating: Bool = true
    ) {
        let last = layerCount - 1
        outputGradient(labels + columns.lowerBound)
        let inverseM = 1 / Scalar(batch)
        if updating { step += 1 }
        for index in stride(from: last, through: 0, by: -1) {
            let rows = sizes[index + 1], inner = sizes[index]
            let gradient = dZ[index]
            for i in 0..<rows {
                var sum: Scalar = 0
                for j in i * batch..<(i + 1) * batch { sum += gradient[j] }
                db[index][i] = sum * inverseM
            }
            if index == 0 && isDual {
                if updating {
                    update(b[0], db[0], stateB[0], learningRate)
                    dualUpdate(columns, Scalar(learningRate))
                }
                continue
            }
            if index == 0 && fused {
                update(b[0], db[0], stateB[0], learningRate)
                // The fused sweep: W1's update and the next iteration's Z1 = W1·X in one pass over X.
                sweepLearningRate = Scalar(learningRate)
                runHeavy(sweepJob)
                firstLayerReady = true
                continue
            }
            let (source, stride) = input(ofLayer: index, data, columns)
            Scalar.gemm(
                transposeA: false, transposeB: true, m: rows, n: inner, k: batch,
                alpha: inverseM, a: gradient.baseAddress!, lda: batch, b: source, ldb: stride,
                beta: 0, c: dW[index].baseAddress!, ldc: inner)
            if options.l2 > 0 {
                Scalar.axpy(
                    count: rows * inner, alpha: Scalar(options.l2) * inverseM, x: W[index].baseAddress!,
                    y: dW[index].baseAddress!)
            }
            if index > 0 {
                // dZ[l-1] = W[l]ᵀ·dZ[l], through dropout's mask and scale, then the activation's
                // derivative, read from A[l-1] (with dropout, at A·keep_prob: the kept units'
                // values before the 1/keep_prob scaling; the dropped ones have a zero gradient).
                let previous = dZ[index - 1], activation = A[index - 1]
                Scalar.gemm(
                    transposeA: true, transposeB: false, m: inner, n: batch, k: rows,
                    alpha: 1, a: W[index].baseAddress!, lda: inner, b: gradient.baseAddress!, ldb: batch,
                    beta: 0, c: previous.baseAddress!, ldc: batch)
                let keep = Scalar(options.keepProb), count = inner * batch
                if keep < 1 {
                    let mask = D[index - 1]
                    for j in 0..<count { previous[j] = previous[j] * mask[j] / keep }
                }
                Scalar.backpropagate(
                    activations[index - 1], previous.baseAddress!, output: activation.baseAddress!, scale: keep,
                    count: count)
            }
            if updating {
                update(W[index], dW[index], stateW[index], learningRate)
                update(b[index], db[index], stateB[index], learningRate)
            }
        }
    }

    /// The optimiser's step on one parameter, in place, from its gradient and state.
    func update(
        _ parameter: UnsafeMutableBufferPointer<Scalar>, _ gradient: UnsafeMutableBufferPointer<Scalar>,
        _ state: UnsafeMutableBufferPointer<Scalar>, _ rate: Double
    ) {
        Scalar.update(
            optimizer, parameter.baseAddress!, gradient: gradient.baseAddress!,
            state: state.baseAddress ?? gradient.baseAddress!,
            count: parameter.count, rate: rate, step: step)
    }

    /// The optimiser's state now, to be saved with the model.
    var optimizerState: OptimizerState {
        var moments = [[Double]]()
        if optimizer.stateCount > 0 {
            for index in 0..<layerCount {
                moments.append(stateW[index].map { Double($0) })
                moments.append(stateB[index].map { Double($0) })
            }
            if isDual, velocity.count > 0 {
                let formed = formFirstLayer(scale: velocityScale, span: velocity)
                defer { formed.deallocate() }
                moments[0] = formed.map { Double($0) }
            }
        }
        return OptimizerState(
            optimizer: options.optimizer, step: step, shuffleSeed: shuffleSeed, moments: moments)
    }

    /// The current parameters, widened to `Double`; on the dual path W1 = W1(0) + C·Xᵀ is formed here.
    var parameters: Parameters {
        if isDual {
            // W[0] still holds W1(0); form W1 in a copy so that training can go on afterwards.
            let firstW = formFirstLayer(scale: weightScale, span: coefficients)
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
