import Foundation

// The dual path: W1 = a·W1(0) + C·Xᵀ kept through C and the Gram matrix G = XᵀX (see the
// engine's documentation and `EngineSelection.dual`).

extension TrainingEngine {
    /// G = XᵀX (one syrk, then mirrored) and P = W1(0)·X, once.
    func prepareDual() {
        setBLASThreadCount(plan.threads)
        Scalar.syrkTransposed(n: m, k: sizes[0], a: X.baseAddress!, lda: m, c: gram.baseAddress!, ldc: m)
        for i in 0..<m {
            for j in 0..<i { gram[i * m + j] = gram[j * m + i] }
        }
        product(W[0], X, into: projection, rows: sizes[1], inner: sizes[0], beta: 0).run()
        initialSquares = W[0].reduce(0.0) { $0 + Double($1 * $1) }
    }

    /// The example (column of X) behind column `j` of the current batch.
    @inline(__always)
    func example(_ j: Int, _ columns: Range<Int>) -> Int {
        options.miniBatchSize == nil ? j : order[columns.lowerBound + j]
    }

    /// Z1 = a·P + C·G for the batch's columns, into A[0]; for a full batch also ‖W1‖², as
    /// a²‖W1(0)‖² + a·⟨P, C⟩ + ⟨Z1, C⟩ (since ⟨C·G, C⟩ = ‖C·Xᵀ‖² and ⟨P, C⟩ = ⟨W1(0), C·Xᵀ⟩).
    func dualForward(_ columns: Range<Int>) {
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
    func dualUpdate(_ columns: Range<Int>, _ rate: Scalar) {
        let n1 = sizes[1], gradient = dZ[0]
        let inverseM = 1 / Scalar(batch), lambda = Scalar(options.l2) / Scalar(batch)
        switch options.optimizer.function.linearForm {
        case .plain:
            if lambda > 0 {
                let decay = 1 - rate * lambda
                weightScale *= decay
                for k in 0..<n1 * m { coefficients[k] *= decay }
            }
            for j in 0..<batch {
                let e = example(j, columns)
                for i in 0..<n1 { coefficients[i * m + e] -= rate * inverseM * gradient[i * batch + j] }
            }
        case .heavyBall(let betaValue):
            let beta = Scalar(betaValue)
            velocityScale = beta * velocityScale + (1 - beta) * lambda * weightScale
            for k in 0..<n1 * m { velocity[k] = beta * velocity[k] + (1 - beta) * lambda * coefficients[k] }
            for j in 0..<batch {
                let e = example(j, columns)
                for i in 0..<n1 { velocity[i * m + e] += (1 - beta) * inverseM * gradient[i * batch + j] }
            }
            weightScale -= rate * velocityScale
            Scalar.axpy(count: n1 * m, alpha: -rate, x: velocity.baseAddress!, y: coefficients.baseAddress!)
        case nil:
            preconditionFailure("the plan takes the dual path only for steps in the span of the gradients")
        }
    }

    /// a·W1(0) + C·Xᵀ (or, for momentum's v1, c·W1(0) + V·Xᵀ), formed in a new buffer.
    func formFirstLayer(scale: Scalar, span: UnsafeMutableBufferPointer<Scalar>) -> UnsafeMutableBufferPointer<
        Scalar
    > {
        let formed = Self.zeros(sizes[1] * sizes[0])
        for k in 0..<formed.count { formed[k] = scale * W[0][k] }
        Scalar.gemm(
            transposeA: false, transposeB: true, m: sizes[1], n: sizes[0], k: m, alpha: 1, a: span.baseAddress!, lda: m,
            b: X.baseAddress!, ldb: m, beta: 1, c: formed.baseAddress!, ldc: sizes[0])
        return formed
    }
}
