/// The one layer loop behind training and prediction: the forward pass, and for training the
/// backward pass, of a block of a batch's columns, on the workspace's buffers.
///
///     forward:   Z[l] = W[l]·A[l-1] + b[l];  A[l] = g[l](Z[l]) (l < L, then dropout when training;
///                batch-normalised: A[l] = g[l](γ ⊙ Ẑ[l] + β), Ẑ from W[l]·A[l-1], `BatchNormLayers`)
///                A[L] = the loss's output; with targets, the loss summed and dZ[L] = ∂loss/∂Z[L]
///     backward:  db[l] = s·Σ_columns dZ[l],  dW[l] = s·dZ[l]·A[l-1]ᵀ   (s = 1/m of the batch's mean,
///                or 1/Σw of its weighted mean: the loss then weighs each column's dZ)
///                dZ[l-1] = (W[l]ᵀ·dZ[l]) ⊙ g′[l-1], g′ read from A[l-1]  (for l > 1 only)
///                (batch-normalised: that is dY[l-1], and dZ[l-1] its batch normalisation's backward)
///
/// Layer 1 is its `FirstLayerPath`'s (its input is X, which a path may read in its own way: two
/// plain products, a fused sweep, or the Gram matrix of the dual path); the loop never asks which.
/// Each activation's derivative is read from A (tanh: 1 − A²; relu: A > 0), so Z is not kept, and
/// dA[0], the gradient for the input, is never computed.
struct LayerLoop<Scalar: EngineScalar> {
    let workspace: EngineWorkspace<Scalar>
    /// The hidden layers' activations, layer 1 first.
    let activations: [any ActivationFunction]
    /// The output layer's activation and loss.
    let head: any LossFunction
    let first: any FirstLayerPath<Scalar>
    /// Training's dropout on hidden layers (inactive at prediction).
    let dropout: DropoutMasks<Scalar>

    var layerCount: Int { workspace.layerCount }

    /// The forward pass over the batch's columns `part` (part number `slot` of a split batch):
    /// with `targets` (training), returns their loss summed (in Double) and leaves dZ[L] for
    /// `backward`; without, leaves A[L] the output (batch normalisation then uses its running
    /// averages).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(_ batch: BatchView<Scalar>, part: Range<Int>, slot: Int = 0, withTargets: Bool = true) -> Double {
        let w = workspace, width = part.count, rowStride = batch.width, normalization = w.normalization
        for index in 0..<layerCount {
            let rows = w.sizes[index + 1], output = w.A[index].baseAddress! + part.lowerBound
            let bias = w.b[index].baseAddress!
            if index == 0 {
                first.forward(into: output, batch, part: part)
            } else {
                Scalar.gemm(
                    transposeA: false, transposeB: false, m: rows, n: width, k: w.sizes[index], alpha: 1,
                    a: w.W[index].baseAddress!, lda: w.sizes[index], b: w.A[index - 1].baseAddress! + part.lowerBound,
                    ldb: rowStride, beta: 0, c: output, ldc: rowStride)
            }
            if index < layerCount - 1 {
                var added = UnsafePointer(bias)
                if normalization.isNormalized(index) {
                    normalization.forward(
                        index, output, rows: rows, cols: width, stride: rowStride, column: part.lowerBound, part: slot,
                        examples: batch.gradientExamples, training: withTargets)
                    added = UnsafePointer(normalization.zeros.baseAddress!)
                }
                Scalar.activate(activations[index], output, bias: added, rows: rows, cols: width, stride: rowStride)
                if dropout.isActive && withTargets {
                    dropout.apply(
                        layer: index, to: output, column: part.lowerBound, rows: rows, cols: width, stride: rowStride)
                }
            } else if withTargets {
                // The head's output, its loss and dZ[L] in one pass.
                return Scalar.lossAndGradient(
                    head, output, bias: bias, units: rows, cols: width, stride: rowStride,
                    targets: batch.targets + part.lowerBound, targetStride: batch.targetStride,
                    weights: batch.weights.map { $0 + part.lowerBound },
                    gradient: w.dZ[index].baseAddress! + part.lowerBound)
            } else {
                Scalar.activate(head, output, bias: bias, units: rows, cols: width, stride: rowStride)
            }
        }
        return 0
    }

    /// The backward pass over the batch's columns `part`, from the dZ[L] `forward` left: writes
    /// the gradients of the batch's mean loss for these columns into `weights` and `biases`
    /// (per layer: the workspace's own, or a part's share), and dZ of every layer on them.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backward(
        _ batch: BatchView<Scalar>, part: Range<Int>, slot: Int = 0, weights: [UnsafeMutableBufferPointer<Scalar>],
        biases: [UnsafeMutableBufferPointer<Scalar>]
    ) {
        let w = workspace, width = part.count, rowStride = batch.width, normalization = w.normalization
        let scale = Scalar(1 / batch.gradientWeight)
        for index in stride(from: layerCount - 1, through: 0, by: -1) {
            let rows = w.sizes[index + 1], inner = w.sizes[index]
            let gradient = w.dZ[index].baseAddress! + part.lowerBound
            if normalization.isNormalized(index) {
                // dY to dZ (and dγ, dβ); b has no gradient: β takes its place.
                normalization.backward(
                    index, gradient, rows: rows, cols: width, stride: rowStride, column: part.lowerBound, part: slot,
                    examples: batch.gradientExamples, scale: 1 / batch.gradientWeight)
                biases[index].update(repeating: 0)
            } else {
                // db = (1/m)·dZ·1, summed by BLAS (a loop summing in order does not vectorise).
                Scalar.gemv(
                    m: rows, n: width, alpha: scale, a: gradient, lda: rowStride, x: w.ones.baseAddress!,
                    y: biases[index].baseAddress!)
            }
            if index == 0 {
                first.weightGradient(from: gradient, batch, part: part, scale: scale, into: weights[0])
                continue
            }
            Scalar.gemm(
                transposeA: false, transposeB: true, m: rows, n: inner, k: width, alpha: scale, a: gradient,
                lda: rowStride, b: w.A[index - 1].baseAddress! + part.lowerBound, ldb: rowStride, beta: 0,
                c: weights[index].baseAddress!, ldc: inner)
            // dZ[l-1] = W[l]ᵀ·dZ[l], through dropout's mask and scale, then the activation's
            // derivative, read from A[l-1] (with dropout, at A·keep_prob: the kept units' values
            // before the 1/keep_prob scaling; the dropped ones have a zero gradient).
            let previous = w.dZ[index - 1].baseAddress! + part.lowerBound
            Scalar.gemm(
                transposeA: true, transposeB: false, m: inner, n: width, k: rows, alpha: 1, a: w.W[index].baseAddress!,
                lda: inner, b: gradient, ldb: rowStride, beta: 0, c: previous, ldc: rowStride)
            if dropout.isActive {
                dropout.backpropagate(
                    layer: index - 1, previous, column: part.lowerBound, rows: inner, cols: width, stride: rowStride)
            }
            Scalar.backpropagate(
                activations[index - 1], previous, output: w.A[index - 1].baseAddress! + part.lowerBound,
                scale: dropout.keepProb, rows: inner, cols: width, stride: rowStride)
        }
    }
}
