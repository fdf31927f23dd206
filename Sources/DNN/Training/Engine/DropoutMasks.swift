/// Inverted dropout on the hidden layers: forward A = A ⊙ D / keep_prob with D = rand < keep_prob,
/// and backward dA ⊙ D / keep_prob with the same mask. Never applied at prediction.
///
/// Masks come from numpy's generator: reseeded with 1 before every forward pass as the course's
/// notebook does (`DropoutSeeding.course`, so the masks repeat), or drawn fresh from one stream.
struct DropoutMasks<Scalar: EngineScalar> {
    let keepProb: Scalar
    let seeding: DropoutSeeding
    /// One mask per hidden layer (1 kept, 0 dropped), units×batch; empty without dropout.
    let masks: [UnsafeMutableBufferPointer<Scalar>]
    private var source: NumPyRandom

    var isActive: Bool { keepProb < 1 }

    init(hiddenUnits: [Int], batchCapacity: Int, keepProb: Double, seeding: DropoutSeeding, seed: UInt32) {
        self.keepProb = Scalar(keepProb)
        self.seeding = seeding
        masks = hiddenUnits.map { .allocateZeroed(keepProb < 1 ? $0 * batchCapacity : 0) }
        source = NumPyRandom(seed: seeding == .course ? 1 : seed)
    }

    /// Called before each forward pass.
    mutating func startForwardPass() {
        if isActive && seeding == .course { source.seed(1) }
    }

    /// Draws layer `index`'s mask over `count` activations and applies it to `output` in place.
    mutating func apply(layer index: Int, to output: UnsafeMutablePointer<Scalar>, count: Int) {
        let keep = keepProb, mask = masks[index]
        // One access to the generator for the whole layer: a mutating call per draw on a stored
        // property would pay an exclusivity check each time.
        withUnsafeMutablePointer(to: &source) { source in
            for j in 0..<count {
                mask[j] = Scalar(source.pointee.uniform()) < keep ? 1 : 0
                output[j] = output[j] * mask[j] / keep
            }
        }
    }

    /// dA ⊙ D / keep_prob in place, with layer `index`'s mask.
    func backpropagate(layer index: Int, _ gradient: UnsafeMutablePointer<Scalar>, count: Int) {
        let keep = keepProb, mask = masks[index]
        for j in 0..<count { gradient[j] = gradient[j] * mask[j] / keep }
    }

    func deallocate() {
        for mask in masks { mask.deallocate() }
    }
}
