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
///     update:    W[l] −= α·dW[l],  b[l] −= α·db[l]                    (in place)
///
/// Differences from the step-by-step path, none of which changes a result beyond rounding:
/// dZ[L] = A[L] − Y is the closed form of dAL ⊙ σ′(Z[L]); the ReLU mask is read from A (A > 0
/// exactly where Z > 0), so Z is not kept; and dA[0], the gradient for the input that nothing
/// uses, is never computed. Products go to BLAS with transpose flags; nothing is allocated per
/// iteration.
final class TrainingEngine<Scalar: EngineScalar> {
    let sizes: [Int]
    let m: Int
    private let X: UnsafeMutableBufferPointer<Scalar>
    private let Y: UnsafeMutableBufferPointer<Scalar>
    /// Per layer l (index l − 1): parameters, gradients, activations A[l] and dZ[l], each n[l]×… .
    private let W, b, dW, db, A, dZ: [UnsafeMutableBufferPointer<Scalar>]

    /// Copies X (n[0]×m), Y (1×m) and the parameters into the engine's precision.
    init(parameters: Parameters, X: Matrix, Y: Matrix) {
        sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        m = X.cols
        func buffer(_ values: [Double]) -> UnsafeMutableBufferPointer<Scalar> {
            let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: values.count)
            _ = buffer.initialize(from: values.lazy.map { Scalar($0) })
            return buffer
        }
        func zeros(_ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
            let buffer = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: count)
            buffer.initialize(repeating: 0)
            return buffer
        }
        self.X = buffer(X.scalars)
        self.Y = buffer(Y.scalars)
        W = parameters.layers.map { buffer($0.W.scalars) }
        b = parameters.layers.map { buffer($0.b.scalars) }
        dW = parameters.layers.map { zeros($0.W.scalars.count) }
        db = parameters.layers.map { zeros($0.b.scalars.count) }
        A = sizes.dropFirst().map { zeros($0 * X.cols) }
        dZ = sizes.dropFirst().map { zeros($0 * X.cols) }
    }

    deinit {
        for buffer in [X, Y] + W + b + dW + db + A + dZ { buffer.deallocate() }
    }

    var layerCount: Int { sizes.count - 1 }

    /// The input of layer l (index l − 1): X for the first layer, A[l−1] after.
    private func input(ofLayer index: Int) -> UnsafeMutableBufferPointer<Scalar> {
        index == 0 ? X : A[index - 1]
    }

    /// One iteration: forward, cost, backward, update. Returns the cost before the update.
    func step(learningRate: Double) -> Double {
        let cost = forward()
        backwardAndUpdate(learningRate: Scalar(learningRate))
        return cost
    }

    /// The forward pass; returns the cost of the output A[L] against Y.
    private func forward() -> Double {
        var cost = 0.0
        for index in 0..<layerCount {
            let rows = sizes[index + 1], inner = sizes[index]
            let output = A[index], bias = b[index]
            Scalar.gemm(
                transposeA: false, transposeB: false, m: rows, n: m, k: inner,
                alpha: 1, a: W[index].baseAddress!, lda: inner, b: input(ofLayer: index).baseAddress!, ldb: m,
                beta: 0, c: output.baseAddress!, ldc: m)
            if index < layerCount - 1 {
                for i in 0..<rows {
                    let bi = bias[i]
                    for j in i * m..<(i + 1) * m {
                        let z = output[j] + bi
                        output[j] = z > 0 || z.isNaN ? z : 0
                    }
                }
            } else {
                // The output layer: sigmoid and the cross-entropy in one pass, summed in Double.
                for i in 0..<rows {
                    let bi = bias[i]
                    for j in i * m..<(i + 1) * m {
                        let a = 1 / (1 + Scalar.exp(-(output[j] + bi)))
                        output[j] = a
                        let y = Y[j % m]
                        cost += Double(y * Scalar.log(a) + (1 - y) * Scalar.log(1 - a))
                    }
                }
            }
        }
        return -cost / Double(m)
    }

    /// The backward pass from dZ[L] = A[L] − Y, updating each layer's parameters in place once its
    /// W has served to carry the gradient further back.
    private func backwardAndUpdate(learningRate: Scalar) {
        let last = layerCount - 1
        for j in 0..<sizes[layerCount] * m { dZ[last][j] = A[last][j] - Y[j % m] }
        let inverseM = 1 / Scalar(m)
        for index in stride(from: last, through: 0, by: -1) {
            let rows = sizes[index + 1], inner = sizes[index]
            let gradient = dZ[index]
            Scalar.gemm(
                transposeA: false, transposeB: true, m: rows, n: inner, k: m,
                alpha: inverseM, a: gradient.baseAddress!, lda: m, b: input(ofLayer: index).baseAddress!, ldb: m,
                beta: 0, c: dW[index].baseAddress!, ldc: inner)
            for i in 0..<rows {
                var sum: Scalar = 0
                for j in i * m..<(i + 1) * m { sum += gradient[j] }
                db[index][i] = sum * inverseM
            }
            if index > 0 {
                // dZ[l-1] = W[l]ᵀ·dZ[l], then masked by the ReLU's derivative.
                let previous = dZ[index - 1], activation = A[index - 1]
                Scalar.gemm(
                    transposeA: true, transposeB: false, m: inner, n: m, k: rows,
                    alpha: 1, a: W[index].baseAddress!, lda: inner, b: gradient.baseAddress!, ldb: m,
                    beta: 0, c: previous.baseAddress!, ldc: m)
                for j in 0..<inner * m where !(activation[j] > 0) { previous[j] = 0 }
            }
            for k in 0..<W[index].count { W[index][k] -= learningRate * dW[index][k] }
            for k in 0..<b[index].count { b[index][k] -= learningRate * db[index][k] }
        }
    }

    /// The current parameters, widened to `Double`.
    var parameters: Parameters {
        Parameters(
            layers: (0..<layerCount).map { index in
                LayerParameters(
                    W: Matrix(rows: sizes[index + 1], cols: sizes[index], scalars: W[index].map { Double($0) }),
                    b: Matrix(rows: sizes[index + 1], cols: 1, scalars: b[index].map { Double($0) }))
            })
    }
}
