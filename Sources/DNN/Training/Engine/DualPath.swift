/// Layer 1 on the dual path (`DualFirstLayer`): Z1 = a·P + C·G, and the step on C from dZ1, so
/// that an iteration never touches X; the full batch's C·G is the heavy work (`HeavyWork`).
/// Steps must stay in the span of the gradients (gradient descent, momentum; not Adam).
final class DualPath<Scalar: EngineScalar>: FirstLayerPath {
    let workspace: EngineWorkspace<Scalar>
    let dual: DualFirstLayer<Scalar>
    let l2: Double
    private var heavy: HeavyWork!

    init(
        workspace: EngineWorkspace<Scalar>, X: UnsafeMutableBufferPointer<Scalar>, examples m: Int, batched: Bool,
        form: LinearOptimizerForm, l2: Double, threads: Int, parallelism: ParallelStrategy
    ) {
        self.workspace = workspace
        self.l2 = l2
        let (n0, n1) = (workspace.sizes[0], workspace.sizes[1])
        dual = DualFirstLayer(
            X: X, initialWeights: workspace.W[0], features: n0, units: n1, examples: m,
            batchCapacity: workspace.capacity, batched: batched, form: form, threads: threads)
        let product = dual.product(into: workspace.A[0])
        heavy = HeavyWork(
            jobs: [
                .init(name: "C·G", flops: product.flops) { part, parts in
                    product.run(columns: product.columns(part: part, of: parts))
                }
            ], threads: threads, parallelism: parallelism)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(into output: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>) {
        if let examples = batch.examples {
            dual.forward(into: workspace.A[0], examples: examples)
        } else {
            dual.forward(into: workspace.A[0], l2: l2 > 0) { heavy.run(0) }
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func weightGradient(
        from gradient: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>, scale: Scalar,
        into weights: UnsafeMutableBufferPointer<Scalar>
    ) {}

    /// L2 is part of the step on C and a.
    func addL2(_ factor: Scalar, into weights: UnsafeMutableBufferPointer<Scalar>, slice: Range<Int>) {}

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step(_ batch: BatchView<Scalar>, moments: OptimizerMoments<Scalar>, rate: Double, slice: Range<Int>?) {
        dual.update(gradient: workspace.dZ[0], examples: batch.examples, rate: Scalar(rate), l2: l2)
    }

    var squaredWeights: Double { dual.firstLayerSquares }

    func formedWeights() -> UnsafeMutableBufferPointer<Scalar>? { dual.formWeights() }
    func formedVelocity() -> UnsafeMutableBufferPointer<Scalar>? { dual.formVelocity() }

    var summary: String {
        "dual: Z1 = W1(0)·X + C·XᵀX, so passes never read X "
            + "(cheaper than two products with X when features far outnumber examples)"
    }

    var threadUse: [String]? { heavy.description }
    var threadsRefused: Bool { heavy.refused }
}
