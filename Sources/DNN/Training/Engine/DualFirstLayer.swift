/// The dual path for the first layer: W1 is never stored. It stays of the form
/// W1 = a·W1(0) + C·Xᵀ, kept through the scalar a, the n1×m matrix C and the m×m Gram matrix
/// G = XᵀX computed once, so that
///
///     Z1 = W1·X = a·P + C·G          with P = W1(0)·X, computed once
///     dW1 = (1/mb)·D·Xᵀ              with D the n1×m matrix holding dZ1 in the batch's columns
///
/// and a step W1 −= α·dW1 is C −= (α/mb)·D: an iteration never touches X. With L2 the gradient
/// gains (λ/mb)·W1 = (λ/mb)·(a·W1(0) + C·Xᵀ), which scales a and C; momentum keeps its velocity in
/// the same form, v1 = c·W1(0) + V·Xᵀ. Steps that leave this span (Adam) cannot take this path.
///
/// Shapes: X n0×m, W1(0) n1×n0, P, C and V n1×m, G m×m; a batch of mb columns.
final class DualFirstLayer<Scalar: EngineScalar> {
    let n0, n1, m: Int
    /// Not owned: X and W1(0) (the engine's first weights, never changed on this path).
    let X, initialWeights: UnsafeMutableBufferPointer<Scalar>
    let gram, projection, coefficients: UnsafeMutableBufferPointer<Scalar>
    /// Momentum's V (empty for plain steps).
    let velocity: UnsafeMutableBufferPointer<Scalar>
    /// Mini-batches: the batch's columns of G, gathered.
    let gatheredGram: UnsafeMutableBufferPointer<Scalar>
    let form: LinearOptimizerForm
    /// a and c.
    private(set) var weightScale: Scalar = 1
    private(set) var velocityScale: Scalar = 0
    /// ‖W1(0)‖², and ‖W1‖² as the last full-batch forward pass found it (for the L2 penalty).
    private(set) var initialSquares = 0.0
    private(set) var firstLayerSquares = 0.0

    /// Computes G = XᵀX (one syrk, then mirrored) and P = W1(0)·X, with `threads` BLAS threads.
    init(
        X: UnsafeMutableBufferPointer<Scalar>, initialWeights: UnsafeMutableBufferPointer<Scalar>, features n0: Int,
        units n1: Int, examples m: Int, batchCapacity: Int, batched: Bool, form: LinearOptimizerForm, threads: Int
    ) {
        (self.n0, self.n1, self.m, self.X, self.initialWeights, self.form) = (n0, n1, m, X, initialWeights, form)
        gram = .allocateZeroed(m * m)
        projection = .allocateZeroed(n1 * m)
        coefficients = .allocateZeroed(n1 * m)
        let heavyBall = if case .heavyBall = form { true } else { false }
        velocity = .allocateZeroed(heavyBall ? n1 * m : 0)
        gatheredGram = .allocateZeroed(batched ? m * batchCapacity : 0)
        setBLASThreadCount(threads)
        Scalar.syrkTransposed(n: m, k: n0, a: X.baseAddress!, lda: m, c: gram.baseAddress!, ldc: m)
        for i in 0..<m {
            for j in 0..<i { gram[i * m + j] = gram[j * m + i] }
        }
        Scalar.gemm(
            transposeA: false, transposeB: false, m: n1, n: m, k: n0, alpha: 1, a: initialWeights.baseAddress!, lda: n0,
            b: X.baseAddress!, ldb: m, beta: 0, c: projection.baseAddress!, ldc: m)
        initialSquares = initialWeights.reduce(0.0) { $0 + Double($1 * $1) }
    }

    deinit {
        for buffer in [gram, projection, coefficients, velocity, gatheredGram] { buffer.deallocate() }
    }

    /// The full-batch product C·G added into `output` (n1×m): the heavy work, which the engine
    /// may split between threads by columns.
    func product(into output: UnsafeMutableBufferPointer<Scalar>) -> PlannedProduct<Scalar> {
        PlannedProduct(
            transposeA: false, transposeB: false, m: n1, n: m, k: m, alpha: 1, a: coefficients.baseAddress!, lda: m,
            b: gram.baseAddress!, ldb: m, beta: 1, c: output.baseAddress!, ldc: m)
    }

    /// Full batch: Z1 = a·P + C·G into `output`, `runProduct` adding C·G; with `l2`, also ‖W1‖², as
    /// a²‖W1(0)‖² + a·⟨P, C⟩ + ⟨Z1, C⟩ (since ⟨C·G, C⟩ = ‖C·Xᵀ‖² and ⟨P, C⟩ = ⟨W1(0), C·Xᵀ⟩).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(into output: UnsafeMutableBufferPointer<Scalar>, l2: Bool, runProduct: () -> Void) {
        let a = weightScale
        for k in 0..<n1 * m { output[k] = a * projection[k] }
        runProduct()
        guard l2 else { return }
        var cross = 0.0, mixed = 0.0
        for k in 0..<n1 * m {
            cross += Double(projection[k] * coefficients[k])
            mixed += Double(output[k] * coefficients[k])
        }
        firstLayerSquares = Double(a * a) * initialSquares + Double(a) * cross + mixed
    }

    /// A mini-batch: Z1 = a·P + C·G for the batch's examples `examples` (columns of X), into
    /// `output` (n1×mb).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(into output: UnsafeMutableBufferPointer<Scalar>, examples: ArraySlice<Int>) {
        let batch = examples.count, a = weightScale
        // By index: an iterator over the slice allocates in unoptimised builds.
        for j in 0..<batch {
            let e = examples[examples.startIndex + j]
            for i in 0..<n1 { output[i * batch + j] = a * projection[i * m + e] }
            // G is symmetric: its column e is its row e, contiguous.
            for r in 0..<m { gatheredGram[r * batch + j] = gram[e * m + r] }
        }
        Scalar.gemm(
            transposeA: false, transposeB: false, m: n1, n: batch, k: m, alpha: 1, a: coefficients.baseAddress!, lda: m,
            b: gatheredGram.baseAddress!, ldb: batch, beta: 1, c: output.baseAddress!, ldc: batch)
    }

    /// The optimiser's step on W1 through a, C (and c, V), from the batch's dZ1 (`gradient`,
    /// n1×mb) for examples `examples` (nil: all m in order): the gradient is (1/mb)·D·Xᵀ + (λ/mb)·W1.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func update(gradient: UnsafeMutableBufferPointer<Scalar>, examples: ArraySlice<Int>?, rate: Scalar, l2: Double) {
        let batch = examples?.count ?? m
        @inline(__always) func example(_ j: Int) -> Int {
            guard let examples else { return j }
            return examples[examples.startIndex + j]
        }
        let inverseM = 1 / Scalar(batch), lambda = Scalar(l2) / Scalar(batch)
        switch form {
        case .plain:
            if lambda > 0 {
                let decay = 1 - rate * lambda
                weightScale *= decay
                for k in 0..<n1 * m { coefficients[k] *= decay }
            }
            for j in 0..<batch {
                let e = example(j)
                for i in 0..<n1 { coefficients[i * m + e] -= rate * inverseM * gradient[i * batch + j] }
            }
        case .heavyBall(let betaValue):
            let beta = Scalar(betaValue)
            velocityScale = beta * velocityScale + (1 - beta) * lambda * weightScale
            for k in 0..<n1 * m { velocity[k] = beta * velocity[k] + (1 - beta) * lambda * coefficients[k] }
            for j in 0..<batch {
                let e = example(j)
                for i in 0..<n1 { velocity[i * m + e] += (1 - beta) * inverseM * gradient[i * batch + j] }
            }
            weightScale -= rate * velocityScale
            Scalar.axpy(count: n1 * m, alpha: -rate, x: velocity.baseAddress!, y: coefficients.baseAddress!)
        }
    }

    /// W1 = a·W1(0) + C·Xᵀ, formed in a new buffer (the caller deallocates it).
    func formWeights() -> UnsafeMutableBufferPointer<Scalar> { form(scale: weightScale, span: coefficients) }

    /// Momentum's v1 = c·W1(0) + V·Xᵀ, formed in a new buffer; nil for plain steps.
    func formVelocity() -> UnsafeMutableBufferPointer<Scalar>? {
        velocity.count > 0 ? form(scale: velocityScale, span: velocity) : nil
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func form(scale: Scalar, span: UnsafeMutableBufferPointer<Scalar>) -> UnsafeMutableBufferPointer<Scalar> {
        let formed = UnsafeMutableBufferPointer<Scalar>.allocateZeroed(n1 * n0)
        for k in 0..<formed.count { formed[k] = scale * initialWeights[k] }
        Scalar.gemm(
            transposeA: false, transposeB: true, m: n1, n: n0, k: m, alpha: 1, a: span.baseAddress!, lda: m,
            b: X.baseAddress!, ldb: m, beta: 1, c: formed.baseAddress!, ldc: n0)
        return formed
    }
}
