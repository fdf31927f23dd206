import Foundation

/// Full-batch gradient descent for [LINEAR → RELU]×(L−1) → LINEAR → SIGMOID, on buffers allocated
/// once: the same mathematics as the step-by-step functions, arranged for speed.
///
/// Per iteration, for layers l = 1…L with A[0] = X:
///
///     forward:   Z[l] = W[l]·A[l-1] + b[l];  A[l] = relu(Z[l]) (l < L) or σ(Z[l]) (l = L)
///     cost:      J = −(1/m)·Σ [y·log a + (1 − y)·log(1 − a)]          (fused with σ)
///     backward:  dZ[L] = A[L] − Y
///                dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ,  db[l] = (1/m)·Σ_columns dZ[l]
///                dZ[l-1] = (W[l]ᵀ·dZ[l]) ⊙ (A[l-1] > 0)               (for l > 1 only)
///     update:    W[l] −= α·dW[l],  b[l] −= α·db[l]                    (in place, BLAS axpy)
///
/// Differences from the step-by-step path, none of which changes a result beyond rounding:
/// dZ[L] = A[L] − Y is the closed form of dAL ⊙ σ′(Z[L]); the ReLU mask is read from A (A > 0
/// exactly where Z > 0), so Z is not kept; and dA[0], the gradient for the input that nothing
/// uses, is never computed.
///
/// The course's next part adds, all on the same buffers: mini-batches (the data shuffled before
/// each epoch into a copy of X, batches read in place by their columns), L2 (λ/m·W added to dW,
/// λ/(2m)·Σ‖W‖² to the cost), inverted dropout on hidden layers (A ⊙ D / keep_prob forward, the same
/// mask backward), and momentum or Adam with their state kept per parameter. The cost counts a
/// 0·log 0 term as 0, as that part's notebooks do, so a saturated output gives inf, not NaN.
///
/// The dual path (see `EngineSelection.dual`) replaces the two products with X by
/// Z1 = P + C·G with P = W1(0)·X and G = XᵀX computed once, and the update of W1 by
/// C −= (α/m)·dZ1; W1 = W1(0) + C·Xᵀ is formed only when the parameters are read.
///
/// On the direct path the two products with X are fused into one sweep over X, block of rows by
/// block of rows, so that X is read from memory once per iteration instead of twice (the
/// products are bound by memory bandwidth, not arithmetic): for each block X_b of input features,
///
///     W1[:, b] −= (α/m)·dZ1·X_bᵀ          (this iteration's update of W1, in place)
///     Z1_next  += W1[:, b]·X_b            (the next iteration's first product)
///
/// while X_b is still in cache. Z1_next is exactly W1(t+1)·X, summed in another order.
///
/// The heavy work (the first product with X, the sweep, or C·G) runs either on BLAS's own threads
/// or split between this engine's threads, each part on one BLAS thread: whichever measured
/// faster for it when the engine started. Nothing is allocated per iteration.
final class TrainingEngine<Scalar: EngineScalar> {
    let sizes: [Int]
    let m: Int
    let plan: TrainingPlan
    let options: TrainingOptions
    private let X: UnsafeMutableBufferPointer<Scalar>
    private let Y: UnsafeMutableBufferPointer<Scalar>
    /// Mini-batch mode: the epoch's shuffled copies of X and Y, the permutation, and its seed.
    private let shuffledX, shuffledY: UnsafeMutableBufferPointer<Scalar>
    private var order: [Int]
    private var shuffleSeed: UInt32 = 10
    private var shuffler = NumPyRandom(seed: 10)
    /// Examples in the current batch, and the largest batch.
    private var batch = 0
    private let maxBatch: Int
    /// Dropout masks of the hidden layers (1 kept, 0 dropped), and their generator.
    private let D: [UnsafeMutableBufferPointer<Scalar>]
    private var maskSource: NumPyRandom
    /// Optimiser state per layer: momentum or Adam's first moments (v) and Adam's second (s).
    private let vW, vb, sW, sb: [UnsafeMutableBufferPointer<Scalar>]
    private var adamStep = 0
    /// Full-batch gradient descent without L2 on the direct path fuses the two products with X.
    private let fused: Bool
    /// Per layer l (index l − 1): parameters, gradients, activations A[l] and dZ[l].
    private let W, b, dW, db, A, dZ: [UnsafeMutableBufferPointer<Scalar>]
    /// Dual path only: G = XᵀX (m×m), P = W1(0)·X (n1×m), C (n1×m); empty otherwise.
    /// W1 = a·W1(0) + C·Xᵀ (a, `weightScale`, moves only under L2) and, with momentum,
    /// v1 = c·W1(0) + V·Xᵀ (c, `velocityScale`; V, `velocity`). W[0] keeps W1(0).
    private let gram, projection, coefficients: UnsafeMutableBufferPointer<Scalar>
    private let velocity: UnsafeMutableBufferPointer<Scalar>
    /// Dual path with mini-batches: the batch's columns of G, gathered.
    private let gatheredGram: UnsafeMutableBufferPointer<Scalar>
    private var weightScale: Scalar = 1
    private var velocityScale: Scalar = 0
    /// ‖W1(0)‖², and ‖W1‖² as the last full-batch forward pass found it (for the L2 penalty).
    private var initialSquares = 0.0
    private var firstLayerSquares = 0.0
    /// The products worth parallelising: direct, [W1·X] (the first iteration's); dual, [C·G].
    private var heavy: [PlannedProduct<Scalar>] = []
    /// For each heavy job (the products, then on the direct path the sweep): split between our threads?
    private var splitsHeavy: [Bool] = []
    /// Direct path: A[0] already holds Z1 = W1·X, left there by the last sweep.
    private var firstLayerReady = false
    /// Direct path: the sweep's learning rate, set before each sweep.
    private var sweepLearningRate: Scalar = 0
    /// Direct path: rows of X per block of the sweep, and each extra thread's share of Z1_next.
    private let blockRows: Int
    private let partials: [UnsafeMutableBufferPointer<Scalar>]
    private var runner: ParallelRunner?
    private let previousBLASThreads = blasThreadCount()

    private var isDual: Bool { plan.engine == .dual }
    var layerCount: Int { sizes.count - 1 }

    /// Copies X (n[0]×m), Y (1×m) and the parameters into the engine's precision and prepares
    /// the path `plan` chose.
    /// With `materialisesGradients`, every layer's dW is computed on its own (no fused sweep), as
    /// the gradient check needs.
    init(
        parameters: Parameters, X: Matrix, Y: Matrix, plan: TrainingPlan, options: TrainingOptions,
        materialisesGradients: Bool = false, resuming state: OptimizerState? = nil
    ) {
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        self.sizes = sizes
        m = X.cols
        self.plan = plan
        self.options = options
        self.X = Self.buffer(X.scalars)
        self.Y = Self.buffer(Y.scalars)
        let batched = options.miniBatchSize != nil
        maxBatch = min(options.miniBatchSize ?? X.cols, X.cols)
        shuffledX = Self.zeros(batched ? X.scalars.count : 0)
        shuffledY = Self.zeros(batched ? X.cols : 0)
        order = batched ? Array(0..<X.cols) : []
        W = parameters.layers.map { Self.buffer($0.W.scalars) }
        b = parameters.layers.map { Self.buffer($0.b.scalars) }
        dW = parameters.layers.map { Self.zeros($0.W.scalars.count) }
        db = parameters.layers.map { Self.zeros($0.b.scalars.count) }
        A = sizes.dropFirst().map { Self.zeros($0 * min(options.miniBatchSize ?? X.cols, X.cols)) }
        dZ = sizes.dropFirst().map { Self.zeros($0 * min(options.miniBatchSize ?? X.cols, X.cols)) }
        let dropout = options.keepProb < 1
        D = sizes.dropFirst().dropLast().map {
            Self.zeros(dropout ? $0 * min(options.miniBatchSize ?? X.cols, X.cols) : 0)
        }
        maskSource = NumPyRandom(seed: options.dropoutSeeding == .course ? 1 : options.dropoutSeed)
        let (momentum, adam) = {
            switch options.optimizer {
            case .gradientDescent: (false, false)
            case .momentum: (true, false)
            case .adam: (true, true)
            }
        }()
        // A saved state is taken up only by the same optimiser; anything else starts afresh.
        let resumed = state.flatMap { $0.optimizer == options.optimizer ? $0 : nil }
        func moments(_ saved: [[Double]]?, _ counts: [Int], _ used: Bool) -> [UnsafeMutableBufferPointer<Scalar>] {
            counts.indices.map { l in
                guard used else { return Self.zeros(0) }
                if let saved, l < saved.count, saved[l].count == counts[l] { return Self.buffer(saved[l]) }
                return Self.zeros(counts[l])
            }
        }
        let weightCounts = parameters.layers.map { $0.W.scalars.count }
        let biasCounts = parameters.layers.map { $0.b.scalars.count }
        vW = moments(resumed?.vW, weightCounts, momentum)
        vb = moments(resumed?.vb, biasCounts, momentum)
        sW = moments(resumed?.sW, weightCounts, adam)
        sb = moments(resumed?.sb, biasCounts, adam)
        adamStep = resumed?.step ?? 0
        shuffleSeed = state?.shuffleSeed ?? 10
        let dual = plan.engine == .dual
        fused = !dual && !batched && options.optimizer == .gradientDescent && options.l2 == 0 && !materialisesGradients
        gram = Self.zeros(dual ? m * m : 0)
        projection = Self.zeros(dual ? sizes[1] * m : 0)
        coefficients = Self.zeros(dual ? sizes[1] * m : 0)
        velocity = Self.zeros(dual && momentum ? sizes[1] * m : 0)
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
            + W + b + dW + db + A + dZ + partials
            + D + vW + vb + sW + sb
        {
            buffer.deallocate()
        }
    }

    private static func buffer(_ values: [Double]) -> UnsafeMutableBufferPointer<Scalar> {
        let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values.lazy.map { Scalar($0) })
        return buffer
    }

    private static func zeros(_ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
        let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: count)
        buffer.initialize(repeating: 0)
        return buffer
    }

    /// C ← left·right (+ C when beta is 1), left rows×inner and right inner×m, all untransposed.
    private func product(
        _ left: UnsafeMutableBufferPointer<Scalar>, _ right: UnsafeMutableBufferPointer<Scalar>,
        into result: UnsafeMutableBufferPointer<Scalar>, rows: Int, inner: Int, beta: Scalar
    ) -> PlannedProduct<Scalar> {
        PlannedProduct(
            transposeA: false, transposeB: false, m: rows, n: m, k: inner, alpha: 1, a: left.baseAddress!,
            lda: inner, b: right.baseAddress!, ldb: m, beta: beta, c: result.baseAddress!, ldc: m)
    }

    /// G = XᵀX (one syrk, then mirrored) and P = W1(0)·X, once.
    private func prepareDual() {
        setBLASThreadCount(plan.threads)
        Scalar.syrkTransposed(n: m, k: sizes[0], a: X.baseAddress!, lda: m, c: gram.baseAddress!, ldc: m)
        for i in 0..<m {
            for j in 0..<i { gram[i * m + j] = gram[j * m + i] }
        }
        product(W[0], X, into: projection, rows: sizes[1], inner: sizes[0], beta: 0).run()
        initialSquares = W[0].reduce(0.0) { $0 + Double($1 * $1) }
    }

    /// The job number of the sweep (after the heavy products).
    private var sweepJob: Int { heavy.count }

    /// Decides, per heavy job, between BLAS's own threads and a split between our threads (each
    /// part on one BLAS thread), as `plan.parallelism` says. `auto` splits every heavy job large
    /// enough to gain from it: on the machines we timed the split beat OpenBLAS's own threading
    /// for these shapes (see the README). The choice is a rule, not a timing, so a run's rounding
    /// never depends on the machine's load. BLAS's thread count is set once, here: changing it
    /// per product costs allocations inside OpenBLAS.
    private func chooseParallelism() {
        let threads = plan.threads
        let jobs = heavy.count + (fused ? 1 : 0)
        guard isDual || fused else {
            // Without the sweep, the products with X are BLAS calls of their own: let BLAS thread them.
            splitsHeavy = Array(repeating: false, count: jobs)
            setBLASThreadCount(threads)
            return
        }
        // Below a few million operations, handing work to another thread costs more than it saves.
        func large(_ job: Int) -> Bool {
            job == sweepJob ? 4 * Double(sizes[1]) * Double(sizes[0]) * Double(m) > 4e6 : heavy[job].flops > 4e6
        }
        splitsHeavy = (0..<jobs).map { job in
            guard threads > 1 else { return false }
            switch plan.parallelism {
            case .split: return true
            case .blas: return false
            case .auto: return large(job)
            }
        }
        setBLASThreadCount(plan.parallelism == .blas ? threads : 1)
        guard splitsHeavy.contains(true) else { return }
        runner = ParallelRunner(parts: threads) { [unowned self] job, part in
            if job == sweepJob {
                sweep(part: part, of: threads)
            } else {
                heavy[job].run(columns: heavy[job].columns(part: part, of: threads))
            }
        }
    }

    /// Runs heavy job `job` the way `chooseParallelism` decided.
    private func runHeavy(_ job: Int) {
        guard splitsHeavy[job] else {
            if job == sweepJob { sweep(part: 0, of: 1) } else { heavy[job].run() }
            return
        }
        runner!.run(job: job)
        if job == sweepJob {
            // By index: a for-in over this stored array allocates its iterator in unoptimised builds.
            for k in partials.indices {
                Scalar.axpy(count: partials[k].count, alpha: 1, x: partials[k].baseAddress!, y: A[0].baseAddress!)
            }
        }
    }

    /// Part `part` of the fused sweep over X's rows: updates W1's columns for those input
    /// features and writes their share of the next Z1 (part 0 into A[0], the others into
    /// `partials`, added to A[0] afterwards).
    private func sweep(part: Int, of parts: Int) {
        let (n0, n1) = (sizes[0], sizes[1])
        let rows = (n0 * part / parts)..<(n0 * (part + 1) / parts)
        let nextZ = part == 0 ? A[0].baseAddress! : partials[part - 1].baseAddress!
        let m = self.m
        let W1 = W[0].baseAddress!, dZ1 = dZ[0].baseAddress!, X = self.X.baseAddress!
        var beta: Scalar = 0
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
            let count = min(blockRows, rows.upperBound - start)
            let block = X + start * m
            Scalar.gemm(
                transposeA: false, transposeB: true, m: n1, n: count, k: m, alpha: -sweepLearningRate / Scalar(m),
                a: dZ1, lda: m, b: block, ldb: m, beta: 1, c: W1 + start, ldc: n0)
            Scalar.gemm(
                transposeA: false, transposeB: false, m: n1, n: m, k: count, alpha: 1,
                a: W1 + start, lda: n0, b: block, ldb: m, beta: beta, c: nextZ, ldc: m)
            beta = 1
        }
        if rows.isEmpty { nextZ.update(repeating: 0, count: n1 * m) }
    }

    /// Which strategy each heavy product uses, for reports: "split" or "BLAS threads".
    var parallelism: [String] {
        let names = isDual ? ["C·G"] : ["W1·X (first iteration)", "sweep over X"]
        return zip(names, splitsHeavy).map { "\($0): \($1 ? "split over \(plan.threads) threads" : "BLAS threads")" }
    }

    /// One pass over the data (an iteration of full-batch training, or an epoch of mini-batches):
    /// forward, cost, backward and update for each batch. Returns the cost before the updates: the
    /// cross-entropy summed over all examples / m (plus the L2 penalty for full batches).
    func epoch(learningRate: Double) -> Double {
        let rate = Scalar(learningRate)
        guard options.miniBatchSize != nil else {
            batch = m
            let sum = forward(X.baseAddress!, Y.baseAddress!, columns: 0..<m)
            let penalty = options.l2 > 0 ? l2Penalty() : 0
            backwardAndUpdate(X.baseAddress!, Y.baseAddress!, columns: 0..<m, learningRate: rate)
            return sum / Double(m) + penalty
        }
        shuffle()
        var total = 0.0
        for start in stride(from: 0, to: m, by: maxBatch) {
            let columns = start..<min(start + maxBatch, m)
            batch = columns.count
            total += forward(shuffledX.baseAddress!, shuffledY.baseAddress!, columns: columns)
            backwardAndUpdate(shuffledX.baseAddress!, shuffledY.baseAddress!, columns: columns, learningRate: rate)
        }
        return total / Double(m)
    }

    /// The course's `random_mini_batches`: seed + 1, then X[:, permutation(m)] and Y likewise.
    private func shuffle() {
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
    private func l2Penalty() -> Double {
        var squares = isDual ? firstLayerSquares : 0
        for index in (isDual ? 1 : 0)..<layerCount {
            for k in 0..<W[index].count { squares += Double(W[index][k] * W[index][k]) }
        }
        return 1 / Double(m) * (options.l2 / 2) * squares
    }

    /// The input of layer `index`, with its row stride: the batch's columns of X (stride m) for the
    /// first layer, A of the layer before (stride `batch`) after it.
    private func input(ofLayer index: Int, _ data: UnsafeMutablePointer<Scalar>, _ columns: Range<Int>)
        -> (UnsafeMutablePointer<Scalar>, Int)
    {
        index == 0 ? (data + columns.lowerBound, m) : (A[index - 1].baseAddress!, batch)
    }

    /// The forward pass over the batch `columns` of `data` and `labels`; returns the cross-entropy
    /// summed over the batch, a term 0·log 0 counting as 0.
    private func forward(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>
    ) -> Double {
        var cost = 0.0
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
                for i in 0..<rows {
                    let bi = bias[i]
                    for j in i * batch..<(i + 1) * batch {
                        let z = output[j] + bi
                        output[j] = z > 0 || z.isNaN ? z : 0
                    }
                }
                if options.keepProb < 1 { dropOut(index) }
            } else {
                // The output layer (one unit): sigmoid and the cross-entropy in one pass, summed in Double.
                let bi = bias[0]
                for j in 0..<batch {
                    let a = 1 / (1 + Scalar.exp(-(output[j] + bi)))
                    output[j] = a
                    let y = labels[columns.lowerBound + j]
                    // y·log a + (1 − y)·log(1 − a), with 0·log 0 = 0 (its limit), as numpy's nansum
                    // makes it in the course's next part: a saturated right answer costs 0, a
                    // saturated wrong one costs inf, and neither gives NaN.
                    let logLikelihood = (y != 0 ? y * Scalar.log(a) : 0) + (y != 1 ? (1 - y) * Scalar.log(1 - a) : 0)
                    cost -= Double(logLikelihood)
                }
            }
        }
        return cost
    }

    /// Inverted dropout on hidden layer `index`: D = rand < keep_prob, A = A ⊙ D / keep_prob.
    private func dropOut(_ index: Int) {
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

    /// The backward pass from dZ[L] = A[L] − Y, updating each layer's parameters in place once its
    /// W has served to carry the gradient further back.
    private func backwardAndUpdate(
        _ data: UnsafeMutablePointer<Scalar>, _ labels: UnsafeMutablePointer<Scalar>, columns: Range<Int>,
        learningRate: Scalar, updating: Bool = true
    ) {
        let last = layerCount - 1
        for j in 0..<batch { dZ[last][j] = A[last][j] - labels[columns.lowerBound + j] }
        let inverseM = 1 / Scalar(batch)
        if case .adam = options.optimizer { adamStep += 1 }
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
                    step(b[0], db[0], vb[0], sb[0], learningRate)
                    dualUpdate(columns, learningRate)
                }
                continue
            }
            if index == 0 && fused {
                Scalar.axpy(count: rows, alpha: -learningRate, x: db[0].baseAddress!, y: b[0].baseAddress!)
                // The fused sweep: W1's update and the next iteration's Z1 = W1·X in one pass over X.
                sweepLearningRate = learningRate
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
                // dZ[l-1] = W[l]ᵀ·dZ[l], through dropout's mask and scale, then the ReLU's derivative
                // (read from the kept activations, which are 0 wherever the mask dropped a unit).
                let previous = dZ[index - 1], activation = A[index - 1]
                Scalar.gemm(
                    transposeA: true, transposeB: false, m: inner, n: batch, k: rows,
                    alpha: 1, a: W[index].baseAddress!, lda: inner, b: gradient.baseAddress!, ldb: batch,
                    beta: 0, c: previous.baseAddress!, ldc: batch)
                let keep = Scalar(options.keepProb)
                for j in 0..<inner * batch {
                    previous[j] =
                        activation[j] > 0 ? (keep < 1 ? previous[j] * D[index - 1][j] / keep : previous[j]) : 0
                }
            }
            if updating {
                step(W[index], dW[index], vW[index], sW[index], learningRate)
                step(b[index], db[index], vb[index], sb[index], learningRate)
            }
        }
    }

    // MARK: The dual path's first layer

    /// The example (column of X) behind column `j` of the current batch.
    @inline(__always)
    private func example(_ j: Int, _ columns: Range<Int>) -> Int {
        options.miniBatchSize == nil ? j : order[columns.lowerBound + j]
    }

    /// Z1 = a·P + C·G for the batch's columns, into A[0]; for a full batch also ‖W1‖², as
    /// a²‖W1(0)‖² + a·⟨P, C⟩ + ⟨Z1, C⟩ (since ⟨C·G, C⟩ = ‖C·Xᵀ‖² and ⟨P, C⟩ = ⟨W1(0), C·Xᵀ⟩).
    private func dualForward(_ columns: Range<Int>) {
        let n1 = sizes[1], output = A[0], a = weightScale
        if options.miniBatchSize == nil {
            for k in 0..<n1 * m { output[k] = a * projection[k] }
            runHeavy(0)
            if options.l2 > 0 {
                var cross = 0.0, mixed = 0.0
                for k in 0..<n1 * m {
                    cross += Double(projection[k] * coefficients[k])
                    mixed += Double(output[k] * coefficients[k])
                }
                firstLayerSquares = Double(a * a) * initialSquares + Double(a) * cross + mixed
            }
            return
        }
        for j in 0..<batch {
            let e = example(j, columns)
            for i in 0..<n1 { output[i * batch + j] = a * projection[i * m + e] }
            // G is symmetric: its column e is its row e, contiguous.
            for r in 0..<m { gatheredGram[r * batch + j] = gram[e * m + r] }
        }
        Scalar.gemm(
            transposeA: false, transposeB: false, m: n1, n: batch, k: m, alpha: 1, a: coefficients.baseAddress!, lda: m,
            b: gatheredGram.baseAddress!, ldb: batch, beta: 1, c: output.baseAddress!, ldc: batch)
    }

    /// The optimiser's step on W1 = a·W1(0) + C·Xᵀ, through a, C (and c, V). The batch's gradient
    /// is (1/mb)·dZ1·X_bᵀ + (λ/mb)·W1 = (1/mb)·D·Xᵀ + (λ/mb)·(a·W1(0) + C·Xᵀ), with D the n1×m
    /// matrix holding dZ1 in the batch's columns and zeros elsewhere.
    private func dualUpdate(_ columns: Range<Int>, _ rate: Scalar) {
        let n1 = sizes[1], gradient = dZ[0]
        let inverseM = 1 / Scalar(batch), lambda = Scalar(options.l2) / Scalar(batch)
        switch options.optimizer {
        case .gradientDescent:
            if lambda > 0 {
                let decay = 1 - rate * lambda
                weightScale *= decay
                for k in 0..<n1 * m { coefficients[k] *= decay }
            }
            for j in 0..<batch {
                let e = example(j, columns)
                for i in 0..<n1 { coefficients[i * m + e] -= rate * inverseM * gradient[i * batch + j] }
            }
        case .momentum(let betaValue):
            let beta = Scalar(betaValue)
            velocityScale = beta * velocityScale + (1 - beta) * lambda * weightScale
            for k in 0..<n1 * m { velocity[k] = beta * velocity[k] + (1 - beta) * lambda * coefficients[k] }
            for j in 0..<batch {
                let e = example(j, columns)
                for i in 0..<n1 { velocity[i * m + e] += (1 - beta) * inverseM * gradient[i * batch + j] }
            }
            weightScale -= rate * velocityScale
            Scalar.axpy(count: n1 * m, alpha: -rate, x: velocity.baseAddress!, y: coefficients.baseAddress!)
        case .adam:
            preconditionFailure("the plan never takes the dual path with Adam")
        }
    }

    /// a·W1(0) + C·Xᵀ (or, for momentum's v1, c·W1(0) + V·Xᵀ), formed in a new buffer.
    private func formFirstLayer(scale: Scalar, span: UnsafeMutableBufferPointer<Scalar>) -> UnsafeMutableBufferPointer<
        Scalar
    > {
        let formed = Self.zeros(sizes[1] * sizes[0])
        for k in 0..<formed.count { formed[k] = scale * W[0][k] }
        Scalar.gemm(
            transposeA: false, transposeB: true, m: sizes[1], n: sizes[0], k: m, alpha: 1, a: span.baseAddress!, lda: m,
            b: X.baseAddress!, ldb: m, beta: 1, c: formed.baseAddress!, ldc: sizes[0])
        return formed
    }

    // MARK: Gradient checking (full batch, direct path, gradients materialised)

    /// The cost of the current parameters on all examples, with the L2 penalty.
    func fullCost() -> Double {
        batch = m
        return forward(X.baseAddress!, Y.baseAddress!, columns: 0..<m) / Double(m) + (options.l2 > 0 ? l2Penalty() : 0)
    }

    /// Backprop's gradients of `fullCost` for every parameter, in the order W1, b1, W2, …, without
    /// changing the parameters.
    func gradients() -> [[Double]] {
        _ = fullCost()
        backwardAndUpdate(X.baseAddress!, Y.baseAddress!, columns: 0..<m, learningRate: 0, updating: false)
        return (0..<layerCount).flatMap { [dW[$0].map { Double($0) }, db[$0].map { Double($0) }] }
    }

    /// The number of entries of parameter `which` (W1, b1, W2, … in order).
    func parameterCount(_ which: Int) -> Int { (which % 2 == 0 ? W : b)[which / 2].count }

    /// `fullCost` with entry `entry` of parameter `which` moved by `delta`, then put back.
    func cost(moving which: Int, entry: Int, by delta: Double) -> Double {
        let buffer = (which % 2 == 0 ? W : b)[which / 2]
        let saved = buffer[entry]
        buffer[entry] = saved + Scalar(delta)
        defer { buffer[entry] = saved }
        return fullCost()
    }

    /// One optimiser step on one parameter, in place, from its gradient and state.
    private func step(
        _ parameter: UnsafeMutableBufferPointer<Scalar>, _ gradient: UnsafeMutableBufferPointer<Scalar>,
        _ v: UnsafeMutableBufferPointer<Scalar>, _ s: UnsafeMutableBufferPointer<Scalar>, _ rate: Scalar
    ) {
        switch options.optimizer {
        case .gradientDescent:
            Scalar.axpy(count: parameter.count, alpha: -rate, x: gradient.baseAddress!, y: parameter.baseAddress!)
        case .momentum(let betaValue):
            let beta = Scalar(betaValue)
            for k in 0..<parameter.count {
                v[k] = beta * v[k] + (1 - beta) * gradient[k]
                parameter[k] = parameter[k] - rate * v[k]
            }
        case .adam(let beta1Value, let beta2Value, let epsilonValue):
            let (beta1, beta2, epsilon) = (Scalar(beta1Value), Scalar(beta2Value), Scalar(epsilonValue))
            let correction1 = Scalar(1 - pow(beta1Value, Double(adamStep)))
            let correction2 = Scalar(1 - pow(beta2Value, Double(adamStep)))
            for k in 0..<parameter.count {
                v[k] = beta1 * v[k] + (1 - beta1) * gradient[k]
                s[k] = beta2 * s[k] + (1 - beta2) * (gradient[k] * gradient[k])
                let vCorrected = v[k] / correction1, sCorrected = s[k] / correction2
                parameter[k] = parameter[k] - rate * vCorrected / (sCorrected.squareRoot() + epsilon)
            }
        }
    }

    /// The optimiser's state now, to be saved with the model.
    var optimizerState: OptimizerState {
        func widened(_ buffers: [UnsafeMutableBufferPointer<Scalar>]) -> [[Double]] {
            buffers.contains { $0.count > 0 } ? buffers.map { $0.map { Double($0) } } : []
        }
        var moments = widened(vW)
        if isDual, velocity.count > 0 {
            let formed = formFirstLayer(scale: velocityScale, span: velocity)
            defer { formed.deallocate() }
            moments[0] = formed.map { Double($0) }
        }
        return OptimizerState(
            optimizer: options.optimizer, step: adamStep, shuffleSeed: shuffleSeed, vW: moments, vb: widened(vb),
            sW: widened(sW), sb: widened(sb))
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

    private func parameters(firstW: UnsafeMutableBufferPointer<Scalar>) -> Parameters {
        Parameters(
            layers: (0..<layerCount).map { index in
                let weights = index == 0 ? firstW : W[index]
                return LayerParameters(
                    W: Matrix(rows: sizes[index + 1], cols: sizes[index], scalars: weights.map { Double($0) }),
                    b: Matrix(rows: sizes[index + 1], cols: 1, scalars: b[index].map { Double($0) }))
            })
    }
}
