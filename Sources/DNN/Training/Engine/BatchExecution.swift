/// How one batch's forward, backward and step are arranged: on one thread (`SerialExecution`),
/// split by columns between the engine's threads (`ColumnSplitExecution`), or as one shard of a
/// distributed job (`ShardedExecution`). The plan picks one; the layer loop is the same in all.
protocol BatchExecution<Scalar>: AnyObject {
    associatedtype Scalar: EngineScalar

    /// Readies the mini-batch at places `places` of the epoch's shuffle (gathers it, or leaves
    /// that to the parts that work on it); returns the examples it holds on this process.
    func gather(_ places: Range<Int>) -> Int

    /// Forward and backward over the batch: leaves the gradients of the batch's mean loss (with
    /// L2's term) for `step`, and returns the loss summed over the batch (over every shard's).
    func lossAndGradients(_ batch: BatchView<Scalar>) -> Double

    /// The optimiser's step on every parameter, in place, from what `lossAndGradients` left.
    func step(_ batch: BatchView<Scalar>, rate: Double)

    /// The parts each batch is split into (1 for one thread).
    var columnParts: Int { get }
}

/// One thread does a batch's work: the layer loop over all its columns into the workspace's
/// gradients, L2's term, and the step, layer by layer. BLAS threads each product when the
/// plan gives it threads.
final class SerialExecution<Scalar: EngineScalar>: BatchExecution {
    let loop: LayerLoop<Scalar>
    let moments: OptimizerMoments<Scalar>
    let shuffle: BatchShuffle<Scalar>?
    let l2: Double

    init(loop: LayerLoop<Scalar>, moments: OptimizerMoments<Scalar>, shuffle: BatchShuffle<Scalar>?, l2: Double) {
        (self.loop, self.moments, self.shuffle, self.l2) = (loop, moments, shuffle, l2)
    }

    var columnParts: Int { 1 }

    func gather(_ places: Range<Int>) -> Int {
        shuffle!.gather(places)
        return places.count
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func lossAndGradients(_ batch: BatchView<Scalar>) -> Double {
        loop.dropout.draw(examples: batch.width)
        let loss = forwardAndBackward(batch)
        addL2(weight: batch.gradientWeight)
        return loss
    }

    /// The layer loop over the whole batch, into the workspace's gradients.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forwardAndBackward(_ batch: BatchView<Scalar>) -> Double {
        let all = 0..<batch.width, workspace = loop.workspace
        let loss = loop.forward(batch, part: all)
        loop.backward(batch, part: all, weights: workspace.dW, biases: workspace.db)
        return loss
    }

    /// dW[l] += (λ/m)·W[l] on every layer, m the batch's examples or Σ of its weights (the first
    /// layer's path may take it in its step).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func addL2(weight: Double) {
        guard l2 > 0 else { return }
        let factor = Scalar(l2 / weight), workspace = loop.workspace
        loop.first.addL2(factor, into: workspace.dW[0], slice: 0..<workspace.dW[0].count)
        for index in 1..<workspace.layerCount {
            Scalar.axpy(
                count: workspace.W[index].count, alpha: factor, x: workspace.W[index].baseAddress!,
                y: workspace.dW[index].baseAddress!)
        }
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func step(_ batch: BatchView<Scalar>, rate: Double) {
        moments.step += 1
        let workspace = loop.workspace
        for index in 0..<workspace.layerCount {
            moments.update(workspace.b[index], workspace.db[index], moments.biases[index], rate: rate)
            if index == 0 {
                loop.first.step(batch, moments: moments, rate: rate, slice: nil)
            } else {
                moments.update(workspace.W[index], workspace.dW[index], moments.weights[index], rate: rate)
            }
        }
        moments.update(workspace.normalization, rate: rate)
    }
}
