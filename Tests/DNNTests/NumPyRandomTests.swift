import DNN
import Testing

/// numpy's legacy generator. Expected values were printed by numpy (`np.random.seed(n)` then the
/// draws named), at full precision; they must match bit for bit.
@Suite("NumPyRandom: numpy's legacy stream, bit for bit")
struct NumPyRandomTests {
    @Test("seed 0: rand then randn, including the cached second normal")
    func seedZero() {
        var rng = NumPyRandom(seed: 0)
        // np.random.seed(0); np.random.rand(2); np.random.randn(3)
        #expect(rng.uniform() == 0.5488135039273248)
        #expect(rng.uniform() == 0.7151893663724195)
        #expect(rng.normal() == 0.9787379841057392)
        #expect(rng.normal() == 2.240893199201458)
        #expect(rng.normal() == 1.8675579901499675)
    }

    @Test("a large seed and the 32-bit stream")
    func largeSeed() {
        var rng = NumPyRandom(seed: 4_294_967_295)
        // np.random.RandomState(2**32 - 1)._bit_generator.random_raw(), twice
        #expect(rng.nextUInt32() == 419_326_371)
        #expect(rng.nextUInt32() == 479_346_978)
    }

    @Test("reseeding forgets the cached normal")
    func reseed() {
        var rng = NumPyRandom(seed: 1)
        _ = rng.normal()  // leaves the pair's second value cached
        rng.seed(1)
        #expect(rng.normal() == 1.6243453636632417)
    }

    @Test("arrays fill row by row")
    func rowMajor() {
        var a = NumPyRandom(seed: 5), b = NumPyRandom(seed: 5)
        let m = a.randn(2, 3)
        #expect(m.scalars == (0..<6).map { _ in b.normal() })
    }

    /// `np.random.seed(seed); p = np.random.permutation(n)`, as numpy prints it: the first six and
    /// last three elements, and Σ i·p[i], which any other order changes.
    @Test(
        "permutation matches numpy's legacy stream",
        arguments: [
            (11, 300, [174, 113, 86, 239, 12, 252], [91, 80, 191], 6_779_869),
            (0, 10, [2, 8, 4, 9, 1, 6], [3, 0, 5], 185),
            (12, 64, [29, 59, 17, 8, 28, 7], [6, 27, 11], 62197),
            (3, 1000, [642, 762, 909, 199, 586, 797], [249, 664, 874], 254_166_528),
            (123_456, 5, [0, 4, 3, 2, 1], [3, 2, 1], 20),
        ])
    func permutation(seed: UInt32, n: Int, first: [Int], last: [Int], weightedSum: Int) {
        var rng = NumPyRandom(seed: seed)
        let p = rng.permutation(n)
        #expect(Array(p.prefix(first.count)) == first)
        #expect(Array(p.suffix(3)) == last)
        #expect(p.enumerated().reduce(0) { $0 + $1.offset * $1.element } == weightedSum)
        #expect(p.sorted() == Array(0..<n))
    }
}
