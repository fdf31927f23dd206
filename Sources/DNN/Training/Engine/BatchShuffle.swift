/// The course's `random_mini_batches` on the engine's buffers: before each epoch the seed grows by
/// one, numpy's `permutation(m)` is drawn from it, and X and Y are copied into that order, so every
/// batch is a contiguous range of columns of the copies.
///
/// Shapes: X is n0×m row-major, Y 1×m (class indices); the copies have the same shapes.
struct BatchShuffle<Scalar: EngineScalar> {
    let shuffledX, shuffledY: UnsafeMutableBufferPointer<Scalar>
    /// order[j]: the example (column of X) behind column j of the copies.
    private(set) var order: [Int]
    /// The seed of the last shuffle (the course's seeds start at 10).
    private(set) var seed: UInt32
    private var generator = NumPyRandom(seed: 10)

    /// No buffers when `enabled` is false (full-batch training).
    init(features: Int, examples m: Int, enabled: Bool, seed: UInt32) {
        shuffledX = .allocateZeroed(enabled ? features * m : 0)
        shuffledY = .allocateZeroed(enabled ? m : 0)
        order = enabled ? Array(0..<m) : []
        self.seed = seed
    }

    /// Seed + 1, then X[:, permutation(m)] and Y likewise into the copies.
    mutating func shuffle(_ X: UnsafeMutableBufferPointer<Scalar>, _ Y: UnsafeMutableBufferPointer<Scalar>) {
        seed &+= 1  // a seed saved at 2³² − 1 wraps round instead of trapping
        generator.seed(seed)
        let m = order.count, features = X.count / max(m, 1)
        for i in 0..<m { order[i] = i }
        generator.shuffle(&order)
        for j in 0..<m {
            let source = order[j]
            shuffledY[j] = Y[source]
            for f in 0..<features { shuffledX[f * m + j] = X[f * m + source] }
        }
    }

    func deallocate() {
        shuffledX.deallocate()
        shuffledY.deallocate()
    }
}

extension UnsafeMutableBufferPointer where Element: BinaryFloatingPoint {
    /// A new buffer of `count` zeros.
    static func allocateZeroed(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        buffer.initialize(repeating: 0)
        return buffer
    }

    /// A new buffer holding `values`, converted.
    static func allocate(copying values: [Double]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: values.count)
        _ = buffer.initialize(from: values.lazy.map { Element($0) })
        return buffer
    }
}
