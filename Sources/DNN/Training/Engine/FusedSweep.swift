/// Layer 1 on full batches whose products with X are bound by memory: both products in one sweep
/// over X, block of rows by block of rows, so that X is read from memory once per iteration
/// instead of twice. For each block X_b of input features,
///
///     W1[:, b] −= (α/m)·dZ1·X_bᵀ          (this iteration's update of W1, in place)
///     Z1_next  += W1[:, b]·X_b            (the next iteration's first product)
///
/// while X_b is still in cache. Z1_next is exactly W1(t+1)·X, summed in another order. Only plain
/// steps without L2 (the update is part of the sweep), full batches, and no gradient check (dW1
/// is never formed). The sweep's rows are split between the engine's threads (`HeavyWork`), each
/// writing its share of Z1_next, added up afterwards.
final class FusedSweep<Scalar: EngineScalar>: FirstLayerPath {
    let workspace: EngineWorkspace<Scalar>
    /// X, n0×m (not owned).
    let X: UnsafeMutablePointer<Scalar>
    let m: Int
    /// Rows of X per block: about 512 KB, half of a core's L2 cache on current x86 and Apple cores.
    let blockRows: Int
    /// Each extra thread's share of Z1_next.
    private let partials: [UnsafeMutableBufferPointer<Scalar>]
    private var heavy: HeavyWork!
    /// A[1] already holds Z1 = W1·X, left there by the last sweep.
    private var ready = false
    /// The learning rate of the sweep under way.
    private var rate: Scalar = 0

    /// Whether the sweep beats two plain products, by a rule on the shapes (never a timing, so
    /// rounding never depends on the machine's load). It pays when the products are bound by
    /// memory: X too large to stay in cache between the two products (over 4 MB: a core's L2 and
    /// its share of L3), few first-layer units (at most 64: about 2·n1 operations per element of X
    /// read, below what a core does per byte it loads) and Z1 and dZ1 small enough (n1·m scalars,
    /// at most 1 MB) to stay in cache while every block of X is applied to them. Otherwise, as on
    /// tall data (50,000 examples, 128 units), each block would be one row, and two plain BLAS
    /// products, bound by arithmetic, run at the machine's rate; and X that fits in cache (digits:
    /// 64×1347) is read twice at cache speed, with every layer's work split by columns.
    static func pays(features n0: Int, units n1: Int, examples m: Int) -> Bool {
        n1 <= 64 && n1 * m * MemoryLayout<Scalar>.size <= 1 << 20 && n0 * m * MemoryLayout<Scalar>.size > 4 << 20
    }

    init(
        workspace: EngineWorkspace<Scalar>, X: UnsafeMutablePointer<Scalar>, threads: Int, parallelism: ParallelStrategy
    ) {
        self.workspace = workspace
        self.X = X
        let (n0, n1) = (workspace.sizes[0], workspace.sizes[1])
        m = workspace.capacity
        blockRows = max(16, (512 * 1024) / (m * MemoryLayout<Scalar>.size))
        partials = (1..<threads).map { _ in .allocateZeroed(n1 * workspace.capacity) }
        let product = PlannedProduct(
            transposeA: false, transposeB: false, m: n1, n: m, k: n0, alpha: 1, a: workspace.W[0].baseAddress!,
            lda: n0, b: X, ldb: m, beta: 0, c: workspace.A[0].baseAddress!, ldc: m)
        heavy = HeavyWork(
            jobs: [
                .init(name: "W1·X (first iteration)", flops: product.flops) { part, parts in
                    product.run(columns: product.columns(part: part, of: parts))
                },
                .init(name: "sweep over X", flops: 4 * Double(n1) * Double(n0) * Double(m)) {
                    [unowned self] part, parts in
                    sweep(part: part, of: parts)
                },
            ], threads: threads, parallelism: parallelism)
    }

    deinit {
        for buffer in partials { buffer.deallocate() }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(into output: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>) {
        if !ready { heavy.run(0) }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func weightGradient(
        from gradient: UnsafeMutablePointer<Scalar>, _ batch: BatchView<Scalar>, part: Range<Int>, scale: Scalar,
        into weights: UnsafeMutableBufferPointer<Scalar>
    ) {}

    func addL2(_ factor: Scalar, into weights: UnsafeMutableBufferPointer<Scalar>, slice: Range<Int>) {}

    /// The sweep: W1's update and the next iteration's Z1 = W1·X in one pass over X.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step(_ batch: BatchView<Scalar>, moments: OptimizerMoments<Scalar>, rate: Double, slice: Range<Int>?) {
        self.rate = Scalar(rate)
        if heavy.run(1) {
            let Z1 = workspace.A[0].baseAddress!
            // By index: a for-in over this stored array allocates its iterator in unoptimised builds.
            for k in partials.indices {
                Scalar.axpy(count: partials[k].count, alpha: 1, x: partials[k].baseAddress!, y: Z1)
            }
        }
        ready = true
    }

    /// Part `part` of the sweep over X's rows: updates W1's columns for those input features and
    /// writes their share of the next Z1 (part 0 into A[1], the others into `partials`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func sweep(part: Int, of parts: Int) {
        let (n0, n1) = (workspace.sizes[0], workspace.sizes[1])
        let rows = nearEqualPart(part, of: parts, count: n0)
        let nextZ = part == 0 ? workspace.A[0].baseAddress! : partials[part - 1].baseAddress!
        let m = self.m, W1 = workspace.W[0].baseAddress!, dZ1 = workspace.dZ[0].baseAddress!
        var beta: Scalar = 0
        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: blockRows) {
            let count = min(blockRows, rows.upperBound - start)
            let block = X + start * m
            Scalar.gemm(
                transposeA: false, transposeB: true, m: n1, n: count, k: m, alpha: -rate / Scalar(m),
                a: dZ1, lda: m, b: block, ldb: m, beta: 1, c: W1 + start, ldc: n0)
            Scalar.gemm(
                transposeA: false, transposeB: false, m: n1, n: m, k: count, alpha: 1,
                a: W1 + start, lda: n0, b: block, ldb: m, beta: beta, c: nextZ, ldc: m)
            beta = 1
        }
        if rows.isEmpty { nextZ.update(repeating: 0, count: n1 * m) }
    }

    var squaredWeights: Double { workspace.squaredWeights(0..<1) }

    var summary: String {
        "direct, one fused sweep over X per iteration (≤ 64 first-layer units and Z1 within 1 MB: "
            + "the products are bound by memory, so X is read once)"
    }

    var threadUse: [String]? { heavy.description }
    var threadsRefused: Bool { heavy.refused }
}
