/// The course's `random_mini_batches` on the engine's buffers: before each epoch the seed grows by
/// one and numpy's `permutation(m)` is drawn from it; batch k holds the examples
/// order[k·size..<(k+1)·size], in that order.
///
/// Each batch is gathered into buffers of its own, allocated once: its labels, and on the direct
/// path its examples' features, copied example by example from X kept example-major, so that a
/// batch is read from memory once and in order, whatever the shuffle, and X is never copied whole.
///
/// Distributed, every process shuffles all M examples of the job alike, and takes from each batch
/// the examples its shard holds (`select`), in the batch's order.
///
/// Shapes: X is m×n0 row-major (one row per example); `batchX` is batch×n0, `batchY` 1×batch.
struct BatchShuffle<Scalar: EngineScalar> {
    let batchX, batchY: UnsafeMutableBufferPointer<Scalar>
    /// Distributed: the examples of the current batch this shard holds (rows of its X), and their
    /// places in the batch (0 ..< the batch's size), as `select` chose them.
    let selected, positions: UnsafeMutableBufferPointer<Int>
    /// order[j]: the example (column of X) at place j of the epoch's shuffle.
    private(set) var order: [Int]
    /// The seed of the last shuffle (the course's seeds start at 10).
    private(set) var seed: UInt32
    private var generator = NumPyRandom(seed: 10)
    private let features: Int

    /// No buffers when `enabled` is false (full-batch training); no feature buffer when
    /// `gathersFeatures` is false (the dual path reads its batches through the Gram matrix).
    init(features: Int, examples m: Int, batchCapacity: Int, enabled: Bool, gathersFeatures: Bool, seed: UInt32) {
        batchX = .allocateZeroed(enabled && gathersFeatures ? batchCapacity * features : 0)
        batchY = .allocateZeroed(enabled ? batchCapacity : 0)
        selected = .allocate(capacity: enabled ? batchCapacity : 0)
        positions = .allocate(capacity: enabled ? batchCapacity : 0)
        order = enabled ? Array(0..<m) : []
        self.features = features
        self.seed = seed
    }

    /// Seed + 1, then order = permutation(m).
    mutating func shuffle() {
        seed &+= 1  // a seed saved at 2³² − 1 wraps round instead of trapping
        generator.seed(seed)
        for i in order.indices { order[i] = i }
        generator.shuffle(&order)
    }

    /// Gathers the examples at places `places` of the shuffle into the batch's buffers from
    /// place `offset` of the batch on: their labels from Y (1×m), and their features from X
    /// (m×n0, example-major) when given. Parts of a batch may gather their own places at once.
    func gather(_ places: Range<Int>, at offset: Int = 0, X: UnsafePointer<Scalar>?, Y: UnsafePointer<Scalar>) {
        let n = features
        // By index: an enumerated() iterator allocates in unoptimised builds.
        for j in 0..<places.count {
            let example = order[places.lowerBound + j]
            batchY[offset + j] = Y[example]
            if let X { (batchX.baseAddress! + (offset + j) * n).update(from: X + example * n, count: n) }
        }
    }

    /// Chooses, of the batch at places `places`, the examples `shard` holds (example e is row
    /// e − shard.lowerBound of this process's X), and gathers them as `gather` does; returns how
    /// many.
    func select(_ places: Range<Int>, shard: Range<Int>, X: UnsafePointer<Scalar>, Y: UnsafePointer<Scalar>) -> Int {
        let n = features
        var count = 0
        for place in places {
            let example = order[place]
            guard shard.contains(example) else { continue }
            let row = example - shard.lowerBound
            selected[count] = row
            positions[count] = place - places.lowerBound
            batchY[count] = Y[row]
            (batchX.baseAddress! + count * n).update(from: X + row * n, count: n)
            count += 1
        }
        return count
    }

    func deallocate() {
        selected.deallocate()
        positions.deallocate()
        batchX.deallocate()
        batchY.deallocate()
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
