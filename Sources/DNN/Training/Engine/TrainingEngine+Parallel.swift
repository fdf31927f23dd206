import Foundation

// How threads share the work: each batch's columns split between the engine's threads (data
// parallelism), or, on the dual path and the fused sweep, the heavy work with X split between
// them; the rest on BLAS's own threads.

extension TrainingEngine {
    /// The job number of the sweep (after the heavy products).
    var sweepJob: Int { heavy.count }
    /// The job number of a batch's column parts (`runColumnPart`).
    static var columnPartsJob: Int { -1 }
    /// The job number of the step after a split batch (`finishStep`).
    static var finishStepJob: Int { -2 }
    /// Below a few million operations, handing work to another thread costs more than it saves.
    static var threadingPays: Double { 4e6 }

    /// How many parts each batch's columns are split into, by a rule on the shapes (never a
    /// timing, so a run's rounding depends only on the plan). Each part runs the whole forward
    /// and backward pass for its columns on one thread with one BLAS thread, and the parts'
    /// gradients are summed: products and elementwise work (activations, the head, bias sums)
    /// are all shared, where BLAS's own threads share only the products, and a batch costs one
    /// hand-off to the threads instead of one per product. `auto` splits a batch worth at least
    /// a few million operations, into at most one part per 8 columns; `split` always splits (down
    /// to one column a part);
    /// `blas` never does.
    static func columnParts(sizes: [Int], batch: Int, threads: Int, parallelism: ParallelStrategy) -> Int {
        guard threads > 1, parallelism != .blas else { return 1 }
        let flops = (1..<sizes.count).reduce(0.0) { $0 + 6 * Double(sizes[$1]) * Double(sizes[$1 - 1]) } * Double(batch)
        if parallelism == .split { return max(1, min(threads, batch)) }
        return flops > threadingPays ? max(1, min(threads, batch / 8)) : 1
    }

    /// Decides, per heavy job, between BLAS's own threads and a split between our threads (each
    /// part on one BLAS thread), as `plan.parallelism` says. `auto` splits every heavy job large
    /// enough to gain from it: on the machines we timed the split beat OpenBLAS's own threading
    /// for these shapes (see the README). The choice is a rule, not a timing, so a run's rounding
    /// never depends on the machine's load. BLAS's thread count is set once, here: changing it
    /// per product costs allocations inside OpenBLAS.
    func chooseParallelism() {
        let threads = plan.threads, threadingPays = Self.threadingPays
        let jobs = heavy.count + (fused ? 1 : 0)
        guard isDual || fused else {
            splitsHeavy = Array(repeating: false, count: jobs)
            if columnParts > 1 {
                setBLASThreadCount(1)
                let parts = columnParts
                runner = ParallelRunner(parts: parts) { [unowned self] job, part in
                    if job == Self.columnPartsJob { runColumnPart(part) } else { finishStep(part) }
                }
                guard runner == nil else { return }
                // The system would not start our threads: BLAS's own threads share the products.
                threadsRefused = true
                columnParts = 1
            }
            // Every product is a BLAS call of its own: BLAS threads them when a batch's largest
            // product is worth it (small networks and batches stay on one thread).
            let largest = (1..<sizes.count).map { 2 * Double(sizes[$0]) * Double(sizes[$0 - 1]) * Double(maxBatch) }
                .max()!
            setBLASThreadCount(largest > threadingPays ? threads : 1)
            return
        }
        func large(_ job: Int) -> Bool {
            job == sweepJob
                ? 4 * Double(sizes[1]) * Double(sizes[0]) * Double(m) > threadingPays : heavy[job].flops > threadingPays
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
        if runner == nil {
            // The system would not start our threads: BLAS's own threads do the work instead.
            threadsRefused = true
            splitsHeavy = Array(repeating: false, count: jobs)
            setBLASThreadCount(threads)
        }
    }

    /// Runs heavy job `job` the way `chooseParallelism` decided.
    func runHeavy(_ job: Int) {
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
    func sweep(part: Int, of parts: Int) {
        let (n0, n1) = (sizes[0], sizes[1])
        let rows = nearEqualPart(part, of: parts, count: n0)
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

    /// How the first layer's work with X is done, and why, for `dnn bench` and the report.
    var pathDescription: String {
        if isDual {
            return "dual: Z1 = W1(0)·X + C·XᵀX, so passes never read X "
                + "(cheaper than two products with X when features far outnumber examples)"
        }
        if exampleMajor {
            return "direct, mini-batches gathered from X kept one row per example, "
                + "two BLAS products with each batch" + (columnParts > 1 ? ", each batch split by columns" : "")
        }
        if fused {
            return "direct, one fused sweep over X per iteration (≤ 64 first-layer units and Z1 within 1 MB: "
                + "the products are bound by memory, so X is read once)"
        }
        return "direct, two plain BLAS products with X per iteration (the fused sweep pays only for ≤ 64 "
            + "first-layer units and Z1 within 1 MB; these products are bound by arithmetic)"
            + (columnParts > 1 ? ", the examples split by columns" : "")
    }

    /// Which strategy each heavy product uses, for reports: "split" or "BLAS threads".
    var parallelism: [String] {
        if threadsRefused {
            return ["the system refused \(plan.threads - 1) more threads: BLAS's own threads do the heavy work"]
        }
        if columnParts > 1 {
            return [
                "each batch's columns split into \(columnParts) parts, one thread each: "
                    + "forward and backward per part on one BLAS thread, gradients summed"
            ]
        }
        guard isDual || fused else { return ["every product on \(blasThreadCount()) BLAS threads"] }
        let names = isDual ? ["C·G"] : ["W1·X (first iteration)", "sweep over X"]
        return zip(names, splitsHeavy).map { "\($0): \($1 ? "split over \(plan.threads) threads" : "BLAS threads")" }
    }
}
