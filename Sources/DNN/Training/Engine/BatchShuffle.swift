/// The course's `random_mini_batches` on the engine's buffers: before each epoch the seed grows by
/// one and numpy's `permutation(m)` is drawn from it; batch k holds the examples
/// order[k·size..<(k+1)·size], in that order.
///
/// Each batch is gathered into buffers of its own, allocated once: its targets, and on the direct
/// path its examples' features, copied example by example from X kept example-major, so that a
/// batch is read from memory once and in order, whatever the shuffle, and X is never copied whole.
///
/// Distributed, every process shuffles all M examples of the job alike, and takes from each batch
/// the examples its shard holds (`select`), in the batch's order.
///
/// Shapes: X is m×n0 row-major (one row per example); Y rows×m (one class index per example, or
/// k targets); `batchX` is batch×n0, `batchY` rows×capacity (row stride the capacity).
final class BatchShuffle<Scalar: EngineScalar> {
    let batchX, batchY: UnsafeMutableBufferPointer<Scalar>
    /// Distributed: the examples of the current batch this shard holds (rows of its X), and their
    /// places in the batch (0 ..< the batch's size), as `select` chose them.
    let selected, positions: UnsafeMutableBufferPointer<Int>
    /// order[j]: the example (column of X) at place j of the epoch's shuffle.
    private(set) var order: [Int]
    /// The seed of the last shuffle (the course's seeds start at 10).
    private(set) var seed: UInt32
    private var generator = NumPyRandom(seed: 10)
    /// Where batches are gathered from: X example-major (nil on the dual path, which reads its
    /// batches through the Gram matrix), and Y (rows×m, row stride `examples`).
    private let X: UnsafePointer<Scalar>?, Y: UnsafePointer<Scalar>
    private let features, targetRows, examples, capacity: Int

    /// `m` examples of this process, `total` of the whole job (the shuffle is over all of them).
    init(
        X: UnsafePointer<Scalar>?, features: Int, Y: UnsafePointer<Scalar>, targetRows: Int, examples m: Int,
        total: Int, capacity: Int, seed: UInt32
    ) {
        batchX = .allocateZeroed(X == nil ? 0 : capacity * features)
        batchY = .allocateZeroed(capacity * targetRows)
        selected = .allocate(capacity: capacity)
        positions = .allocate(capacity: capacity)
        order = Array(0..<total)
        (self.X, self.Y, self.features, self.targetRows, examples, self.capacity) = (
            X, Y, features, targetRows, m, capacity
        )
        self.seed = seed
    }

    deinit {
        selected.deallocate()
        positions.deallocate()
        batchX.deallocate()
        batchY.deallocate()
    }

    /// Seed + 1, then order = permutation(m).
    func shuffle() {
        seed &+= 1  // a seed saved at 2³² − 1 wraps round instead of trapping
        generator.seed(seed)
        for i in order.indices { order[i] = i }
        generator.shuffle(&order)
    }

    /// The examples at places `places` of the shuffle.
    func examples(_ places: Range<Int>) -> ArraySlice<Int> { order[places] }

    /// Gathers the examples at places `places` of the shuffle into the batch's buffers from
    /// place `offset` of the batch on: their targets, and their features when X is there. Parts
    /// of a batch may gather their own places at once.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func gather(_ places: Range<Int>, at offset: Int = 0) {
        // By index: an enumerated() iterator allocates in unoptimised builds.
        for j in 0..<places.count {
            copy(example: order[places.lowerBound + j], to: offset + j)
        }
    }

    /// Chooses, of the batch at places `places`, the examples `shard` holds (example e is row
    /// e − shard.lowerBound of this process's X), and gathers them as `gather` does; returns how
    /// many.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func select(_ places: Range<Int>, shard: Range<Int>) -> Int {
        var count = 0
        for place in places {
            let example = order[place]
            guard shard.contains(example) else { continue }
            let row = example - shard.lowerBound
            selected[count] = row
            positions[count] = place - places.lowerBound
            copy(example: row, to: count)
            count += 1
        }
        return count
    }

    /// Example `row` of this process's X and Y into place `place` of the batch.
    @inline(__always)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    private func copy(example row: Int, to place: Int) {
        for r in 0..<targetRows { batchY[r * capacity + place] = Y[r * examples + row] }
        if let X { (batchX.baseAddress! + place * features).update(from: X + row * features, count: features) }
    }
}
