/// The optimiser's state on the engine's buffers: for each layer's W and b (and a batch-normalised
/// layer's γ and β), `stateCount` moments per entry (momentum's v; Adam's v then s), and t, the
/// steps taken.
final class OptimizerMoments<Scalar: EngineScalar> {
    let optimizer: Optimizer
    /// Per layer (index l − 1), the moments of W[l] and of b[l].
    let weights, biases: [UnsafeMutableBufferPointer<Scalar>]
    /// Per layer, the moments of γ[l] and β[l] (empty for a layer without batch normalisation).
    let gammas, betas: [UnsafeMutableBufferPointer<Scalar>]
    /// t: steps (batches) taken so far.
    var step: Int

    /// Zeros, or the moments of `saved` when it was written by the same optimiser for these shapes.
    init(optimizer: Optimizer, parameters: Parameters, resuming saved: OptimizerState?) {
        self.optimizer = optimizer
        let resumed = saved.flatMap { $0.optimizer == optimizer ? $0 : nil }
        let slots = optimizer.function.stateCount
        func moments(_ which: Int, _ count: Int) -> UnsafeMutableBufferPointer<Scalar> {
            if let saved = resumed?.moments, which < saved.count, saved[which].count == slots * count {
                return .allocate(copying: saved[which])
            }
            return .allocateZeroed(slots * count)
        }
        weights = parameters.layers.indices.map { moments(2 * $0, parameters.layers[$0].W.scalars.count) }
        biases = parameters.layers.indices.map { moments(2 * $0 + 1, parameters.layers[$0].b.scalars.count) }
        // After W1, b1, …, bL: γ and β of each batch-normalised layer, in order.
        var next = 2 * parameters.layers.count
        var gammas = [UnsafeMutableBufferPointer<Scalar>](), betas = [UnsafeMutableBufferPointer<Scalar>]()
        for layer in parameters.layers {
            guard let numbers = layer.normalization else {
                (gammas, betas) = (gammas + [.allocate(capacity: 0)], betas + [.allocate(capacity: 0)])
                continue
            }
            gammas.append(moments(next, numbers.gamma.scalars.count))
            betas.append(moments(next + 1, numbers.beta.scalars.count))
            next += 2
        }
        (self.gammas, self.betas) = (gammas, betas)
        step = resumed?.step ?? 0
    }

    /// One step of the optimiser on `parameter` from `gradient`, with `state`, in place: on the
    /// entries `slice` (all of them by default; threads may step disjoint slices at once).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func update(
        _ parameter: UnsafeMutableBufferPointer<Scalar>, _ gradient: UnsafeMutableBufferPointer<Scalar>,
        _ state: UnsafeMutableBufferPointer<Scalar>, rate: Double, slice: Range<Int>? = nil
    ) {
        let slice = slice ?? 0..<parameter.count, offset = slice.lowerBound
        Scalar.update(
            optimizer.function, parameter.baseAddress! + offset, gradient: gradient.baseAddress! + offset,
            state: (state.baseAddress ?? gradient.baseAddress!) + (state.isEmpty ? 0 : offset), count: slice.count,
            slotStride: parameter.count, rate: rate, step: step)
    }

    /// The step on γ and β of every batch-normalised layer, on the entries of slice `part` of
    /// `parts` of each (threads may step disjoint slices at once).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func update(_ normalization: BatchNormLayers<Scalar>, rate: Double, part: Int = 0, of parts: Int = 1) {
        for index in normalization.settings.indices where normalization.isNormalized(index) {
            let slice = nearEqualPart(part, of: parts, count: normalization.gamma[index].count)
            update(normalization.gamma[index], normalization.dGamma[index], gammas[index], rate: rate, slice: slice)
            update(normalization.beta[index], normalization.dBeta[index], betas[index], rate: rate, slice: slice)
        }
    }

    /// The moments widened to Double, per parameter W1, b1, W2, …, then γ and β of each
    /// batch-normalised layer; empty when the optimiser keeps none.
    var saved: [[Double]] {
        guard optimizer.function.stateCount > 0 else { return [] }
        let layers = zip(weights, biases).flatMap { [$0.map { Double($0) }, $1.map { Double($0) }] }
        return layers
            + zip(gammas, betas).filter { !$0.0.isEmpty }.flatMap { [$0.map { Double($0) }, $1.map { Double($0) }] }
    }

    deinit {
        for buffer in weights + biases + gammas + betas { buffer.deallocate() }
    }
}
