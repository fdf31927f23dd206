/// How layer 1, the one whose input is X, does its work: the products with X, its weight gradient
/// and its step. The layer loop calls these for layer 1 and never asks which path it has; the plan
/// picks one of three:
///
/// - `DirectFirstLayer`: two plain products per batch, Z1 = W1·X and dW1 = dZ1·Xᵀ, on any batch;
/// - `FusedSweep`: full batches bound by memory, both products in one sweep over X's rows;
/// - `DualPath`: wide data, W1 kept as a·W1(0) + C·Xᵀ through the Gram matrix XᵀX.
///
/// Shapes: X n0×m, W1 n1×n0; Z1 and dZ1 n1×batch with row stride the batch's width.
protocol FirstLayerPath<Scalar>: AnyObject {
    associatedtype Scalar: EngineScalar

    /// Z1 = W1·X (the bias is added with the activation) for the batch's columns `part`, into
    /// `output`, which starts at the part's first column.
    func forward(into output: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>)

    /// dW1 = s·dZ1·Xᵀ over the part's columns into `weights`, on a path that forms dW1 (the others
    /// step from dZ1 itself and leave it).
    func weightGradient(
        from gradient: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>, scale: Scalar,
        into weights: UnsafeMutableBufferPointer<Scalar>)

    /// L2's term of the gradient, dW1 += `factor`·W1 (factor λ/m) on entries `slice`, on a path
    /// whose step does not take L2 itself.
    func addL2(_ factor: Scalar, into weights: UnsafeMutableBufferPointer<Scalar>, slice: Range<Int>)

    /// The optimiser's step on W1 (entries `slice`, all when nil), from dW1 or dZ1.
    func step(_ batch: BatchView<Scalar>, moments: OptimizerMoments<Scalar>, rate: Double, slice: Range<Int>?)

    /// ‖W1‖², for the L2 penalty.
    var squaredWeights: Double { get }

    /// W1 formed in a new buffer the caller deallocates, on a path that keeps it implicitly; nil
    /// where the workspace's W[1] is W1.
    func formedWeights() -> UnsafeMutableBufferPointer<Scalar>?

    /// Momentum's v1 formed likewise; nil where the moments hold it.
    func formedVelocity() -> UnsafeMutableBufferPointer<Scalar>?

    /// How the path does the work with X, and why (`dnn bench`, the report).
    var summary: String { get }

    /// How its heavy work uses threads, when it has heavy work of its own; nil otherwise.
    var threadUse: [String]? { get }

    /// Whether the system refused the helper threads the heavy work was to be split over.
    var threadsRefused: Bool { get }
}

extension FirstLayerPath {
    func formedWeights() -> UnsafeMutableBufferPointer<Scalar>? { nil }
    func formedVelocity() -> UnsafeMutableBufferPointer<Scalar>? { nil }
    var threadUse: [String]? { nil }
    var threadsRefused: Bool { false }
}

/// Layer 1 as every other layer: Z1 = W1·X and dW1 = s·dZ1·Xᵀ by two plain BLAS products per
/// batch, X read as the batch gives it (feature-major columns of X, or a gathered mini-batch
/// read transposed), and the optimiser's step on W1 from dW1.
final class DirectFirstLayer<Scalar: EngineScalar>: FirstLayerPath {
    let workspace: EngineWorkspace<Scalar>
    /// Why these products are plain ones, for `summary`.
    let reason: String

    init(workspace: EngineWorkspace<Scalar>, reason: String) {
        self.workspace = workspace
        self.reason = reason
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(into output: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>) {
        let (n0, n1) = (workspace.sizes[0], workspace.sizes[1]), source = batch.input(part: part)
        Scalar.gemm(
            transposeA: false, transposeB: source.exampleMajor, m: n1, n: part.count, k: n0, alpha: 1,
            a: workspace.W[0].baseAddress!, lda: n0, b: source.pointer, ldb: source.stride, beta: 0, c: output,
            ldc: batch.width)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func weightGradient(
        from gradient: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>, scale: Scalar,
        into weights: UnsafeMutableBufferPointer<Scalar>
    ) {
        let (n0, n1) = (workspace.sizes[0], workspace.sizes[1]), source = batch.input(part: part)
        Scalar.gemm(
            transposeA: false, transposeB: !source.exampleMajor, m: n1, n: n0, k: part.count, alpha: scale,
            a: gradient, lda: batch.width, b: source.pointer, ldb: source.stride, beta: 0,
            c: weights.baseAddress!, ldc: n0)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func addL2(_ factor: Scalar, into weights: UnsafeMutableBufferPointer<Scalar>, slice: Range<Int>) {
        Scalar.axpy(
            count: slice.count, alpha: factor, x: workspace.W[0].baseAddress! + slice.lowerBound,
            y: weights.baseAddress! + slice.lowerBound)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step(_ batch: BatchView<Scalar>, moments: OptimizerMoments<Scalar>, rate: Double, slice: Range<Int>?) {
        moments.update(workspace.W[0], workspace.dW[0], moments.weights[0], rate: rate, slice: slice)
    }

    var squaredWeights: Double { workspace.squaredWeights(0..<1) }

    var summary: String { reason }
}
