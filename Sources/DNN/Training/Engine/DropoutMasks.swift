/// Inverted dropout on the hidden layers: forward A = A ⊙ D / keep_prob with D = rand < keep_prob,
/// and backward dA ⊙ D / keep_prob with the same mask. Never applied at prediction.
///
/// Masks come from numpy's generator: reseeded with 1 before every forward pass as the course's
/// notebook does (`DropoutSeeding.course`, so the masks repeat), or drawn fresh from one stream.
final class DropoutMasks<Scalar: EngineScalar> {
    let keepProb: Scalar
    let seeding: DropoutSeeding
    /// One mask per hidden layer (1 kept, 0 dropped), units×batch; empty without dropout.
    let masks: [UnsafeMutableBufferPointer<Scalar>]
    private var source: NumPyRandom

    var isActive: Bool { keepProb < 1 }

    /// The largest batch, the width of the masks' buffers.
    private let maxBatch: Int

    /// Distributed: one row of the whole batch's mask, before this process keeps its columns.
    private let rowScratch: UnsafeMutableBufferPointer<Scalar>

    /// `largestBatch`: distributed, the most examples a batch of all processes has.
    init(
        hiddenUnits: [Int], batchCapacity: Int, keepProb: Double, seeding: DropoutSeeding, seed: UInt32,
        largestBatch: Int = 0
    ) {
        self.keepProb = Scalar(keepProb)
        maxBatch = batchCapacity
        rowScratch = .allocateZeroed(keepProb < 1 ? largestBatch : 0)
        self.seeding = seeding
        masks = hiddenUnits.map { .allocateZeroed(keepProb < 1 ? $0 * batchCapacity : 0) }
        source = NumPyRandom(seed: seeding == .course ? 1 : seed)
    }

    /// Called before each forward pass over `count` examples: draws every hidden layer's mask,
    /// layer 1 first, each row by row over units×count, the order in which the course draws them
    /// one layer at a time (the draws never depend on the activations). Drawn before the pass so
    /// that the parts of a batch, each applying its own columns, take the single process's masks.
    ///
    /// Distributed, the batch of all processes has `count` examples of which this one holds
    /// those at `keeping` (places in the batch, in order): every process draws the whole batch's
    /// masks, as one process would, and keeps its columns.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func draw(examples count: Int, keeping: UnsafeBufferPointer<Int>? = nil) {
        guard isActive else { return }
        if seeding == .course { source.seed(1) }
        let keep = keepProb, masks = self.masks, rows = maxBatch, row = rowScratch
        // One access to the generator for all draws: a mutating call per draw on a stored
        // property would pay an exclusivity check each time.
        withUnsafeMutablePointer(to: &source) { source in
            // By index: a for-in over this stored array allocates its iterator in unoptimised builds.
            for layer in masks.indices {
                let mask = masks[layer], units = mask.count / rows
                guard let keeping else {
                    for j in 0..<units * count { mask[j] = Scalar(source.pointee.uniform()) < keep ? 1 : 0 }
                    continue
                }
                for i in 0..<units {
                    for j in 0..<count { row[j] = Scalar(source.pointee.uniform()) < keep ? 1 : 0 }
                    for j in 0..<keeping.count { mask[i * keeping.count + j] = row[keeping[j]] }
                }
            }
        }
    }

    /// A ⊙ D / keep_prob in place on a block of layer `index`'s activations: rows×cols from
    /// column `column` of the batch, row stride `stride` (the mask's layout too).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func apply(
        layer index: Int, to output: UnsafeMutablePointer<Scalar>, column: Int, rows: Int, cols: Int, stride: Int
    ) {
        let keep = keepProb, mask = masks[index].baseAddress! + column
        for i in 0..<rows {
            let values = output + i * stride, kept = mask + i * stride
            for j in 0..<cols { values[j] = values[j] * kept[j] / keep }
        }
    }

    /// dA ⊙ D / keep_prob in place, with layer `index`'s mask, on a block as in `apply`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backpropagate(
        layer index: Int, _ gradient: UnsafeMutablePointer<Scalar>, column: Int, rows: Int, cols: Int, stride: Int
    ) {
        apply(layer: index, to: gradient, column: column, rows: rows, cols: cols, stride: stride)
    }

    deinit {
        rowScratch.deallocate()
        for mask in masks { mask.deallocate() }
    }
}
