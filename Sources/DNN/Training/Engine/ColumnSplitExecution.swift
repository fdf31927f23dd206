/// Data parallelism within the process: each batch's columns (examples) are split into one part
/// per thread, and each part runs the whole forward and backward pass for its columns (products
/// on one BLAS thread, activations, the loss, bias sums), writing its share of the gradients.
/// Then each thread sums one slice of every layer's gradients, adds L2's term and takes the
/// optimiser's step on that slice; mini-batches are gathered by their parts. BLAS's own threads
/// share only the products and hand work over once per product; this hands over twice per batch.
///
/// Batch normalisation's statistics are sums over the whole batch: the parts join theirs
/// (`ThreadStatistics`) three times per normalised layer, waiting for each other there.
///
/// Only with the direct first layer (the fused sweep and the dual path have heavy work of their
/// own). A run's rounding depends only on the number of parts.
final class ColumnSplitExecution<Scalar: EngineScalar>: BatchExecution {
    let loop: LayerLoop<Scalar>
    let moments: OptimizerMoments<Scalar>
    let shuffle: BatchShuffle<Scalar>?
    let l2: Double
    let columnParts: Int
    private var runner: ParallelRunner!
    /// Parts 1… write their gradient sums here, per layer (part 0 writes dW and db themselves),
    /// and each part its loss summed.
    private let partDW, partDB: [[UnsafeMutableBufferPointer<Scalar>]]
    private let partLoss: UnsafeMutableBufferPointer<Double>
    /// The batch the parts work on, and the rate of the step they take.
    private var current: BatchView<Scalar>?
    private var rate = 0.0
    /// Joins the parts' batch statistics (batch normalisation); nil without it.
    private let statistics: ThreadStatistics?

    /// Below a few million operations a batch is not worth splitting.
    static var threadingPays: Double { HeavyWork.threadingPays }

    /// How many parts each batch's columns are split into, by a rule on the shapes (never a
    /// timing, so a run's rounding depends only on the plan). `auto` splits a batch worth at
    /// least a few million operations, into at most one part per 8 columns; `split` always
    /// splits (down to one column a part); `blas` never does.
    static func parts(sizes: [Int], batch: Int, threads: Int, parallelism: ParallelStrategy) -> Int {
        guard threads > 1, parallelism != .blas else { return 1 }
        let flops = (1..<sizes.count).reduce(0.0) { $0 + 6 * Double(sizes[$1]) * Double(sizes[$1 - 1]) } * Double(batch)
        if parallelism == .split { return max(1, min(threads, batch)) }
        return flops > threadingPays ? max(1, min(threads, batch / 8)) : 1
    }

    /// nil when the system refuses the helper threads: a serial execution does the work then.
    init?(
        loop: LayerLoop<Scalar>, moments: OptimizerMoments<Scalar>, shuffle: BatchShuffle<Scalar>?, l2: Double,
        parts: Int
    ) {
        (self.loop, self.moments, self.shuffle, self.l2, columnParts) = (loop, moments, shuffle, l2, parts)
        let workspace = loop.workspace
        partDW = (1..<parts).map { _ in workspace.dW.map { .allocateZeroed($0.count) } }
        partDB = (1..<parts).map { _ in workspace.db.map { .allocateZeroed($0.count) } }
        partLoss = .allocateZeroed(parts)
        let normalization = workspace.normalization
        statistics = normalization.isEmpty ? nil : ThreadStatistics(parts: parts, largest: normalization.largestSum)
        if let statistics {
            normalization.prepare(parts: parts)
            normalization.reduction = statistics
        }
        setBLASThreadCount(1)
        runner = ParallelRunner(parts: parts) { [unowned self] job, part in
            if job == 0 { runPart(part) } else { finishStep(part) }
        }
        guard runner != nil else { return nil }
    }

    deinit {
        runner = nil
        for buffer in partDW.joined() { buffer.deallocate() }
        for buffer in partDB.joined() { buffer.deallocate() }
        partLoss.deallocate()
    }

    /// The parts gather their own columns.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func gather(_ places: Range<Int>) -> Int { places.count }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func lossAndGradients(_ batch: BatchView<Scalar>) -> Double {
        loop.dropout.draw(examples: batch.width)
        current = batch
        statistics?.participants = activeParts(batch)
        runner.run(job: 0)
        var loss = 0.0
        for part in 0..<activeParts(batch) { loss += partLoss[part] }
        return loss
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step(_ batch: BatchView<Scalar>, rate: Double) {
        moments.step += 1
        self.rate = rate
        runner.run(job: 1)
        // Let go of the batch: its view of the shuffle's order would make the next shuffle copy it.
        current = nil
    }

    /// Parts for this batch: `columnParts`, or fewer for a batch of fewer columns.
    private func activeParts(_ batch: BatchView<Scalar>) -> Int { min(columnParts, batch.width) }

    /// Part `part`'s share of `lossAndGradients`: its columns of a mini-batch gathered, then its
    /// forward and backward pass.
    private func runPart(_ part: Int) {
        guard let batch = current, part < activeParts(batch) else { return }
        let block = nearEqualPart(part, of: activeParts(batch), count: batch.width)
        if let shuffle {
            shuffle.gather(
                (batch.columns.lowerBound + block.lowerBound)..<(batch.columns.lowerBound + block.upperBound),
                at: block.lowerBound)
        }
        partLoss[part] = loop.forward(batch, part: block, slot: part)
        let workspace = loop.workspace
        loop.backward(
            batch, part: block, slot: part, weights: part == 0 ? workspace.dW : partDW[part - 1],
            biases: part == 0 ? workspace.db : partDB[part - 1])
    }

    /// Part `part`'s share of the step, on the part-th slice of each layer's entries: the parts'
    /// gradients summed into dW and db (part 0's first), L2's term, and the optimiser's step.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func finishStep(_ part: Int) {
        guard let batch = current else { return }
        let workspace = loop.workspace, active = activeParts(batch)
        let factor = Scalar(l2 / batch.gradientWeight)
        for index in 0..<workspace.layerCount {
            let weights = nearEqualPart(part, of: columnParts, count: workspace.W[index].count)
            let biases = nearEqualPart(part, of: columnParts, count: workspace.b[index].count)
            sum(weights, into: workspace.dW[index], from: partDW, layer: index, parts: active)
            sum(biases, into: workspace.db[index], from: partDB, layer: index, parts: active)
            if index == 0 {
                if l2 > 0 { loop.first.addL2(factor, into: workspace.dW[0], slice: weights) }
                loop.first.step(batch, moments: moments, rate: rate, slice: weights)
            } else {
                if l2 > 0 {
                    Scalar.axpy(
                        count: weights.count, alpha: factor, x: workspace.W[index].baseAddress! + weights.lowerBound,
                        y: workspace.dW[index].baseAddress! + weights.lowerBound)
                }
                moments.update(
                    workspace.W[index], workspace.dW[index], moments.weights[index], rate: rate, slice: weights)
            }
            moments.update(workspace.b[index], workspace.db[index], moments.biases[index], rate: rate, slice: biases)
        }
        moments.update(workspace.normalization, rate: rate, part: part, of: columnParts)
    }

    /// Adds parts 1..<`parts`' entries `slice` of layer `index`'s gradient to `total`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func sum(
        _ slice: Range<Int>, into total: UnsafeMutableBufferPointer<Scalar>,
        from partials: [[UnsafeMutableBufferPointer<Scalar>]], layer index: Int, parts: Int
    ) {
        guard !slice.isEmpty else { return }
        for other in 1..<parts {
            Scalar.axpy(
                count: slice.count, alpha: 1, x: partials[other - 1][index].baseAddress! + slice.lowerBound,
                y: total.baseAddress! + slice.lowerBound)
        }
    }
}
