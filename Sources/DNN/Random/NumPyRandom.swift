import Foundation

/// numpy's legacy random generator (`np.random.seed`, `np.random.randn`, `np.random.rand`),
/// reproduced bit for bit so that the course's seeded examples and initialisations come out
/// identical.
///
/// ```swift
/// var rng = NumPyRandom(seed: 1)     // np.random.seed(1)
/// let A = rng.randn(3, 2)            // np.random.randn(3, 2)
/// ```
///
/// A generator is a value: pass it `inout` to whatever draws from it; copying it copies its state.
public struct NumPyRandom: Sendable {
    private var bits: MT19937
    /// The second normal of the last polar-method pair, returned by the next `normal()` call.
    private var cachedNormal: Double?

    /// A generator seeded as `np.random.seed(seed)` seeds numpy's global `RandomState`.
    public init(seed: UInt32) {
        bits = MT19937(seed: seed)
        cachedNormal = nil
    }

    /// Reseeds in place, forgetting any cached normal (as `np.random.seed` does). Allocates nothing.
    public mutating func seed(_ seed: UInt32) {
        bits.reseed(seed)
        cachedNormal = nil
    }

    /// The next 32-bit word of the underlying MT19937 stream.
    public mutating func nextUInt32() -> UInt32 { bits.next() }

    /// A uniform double in [0, 1) from 53 random bits: (a >> 5)·2²⁶ + (b >> 6), over 2⁵³,
    /// with a and b two successive 32-bit words (numpy's `random_standard_uniform`).
    public mutating func uniform() -> Double {
        let a = Double(bits.next() >> 5), b = Double(bits.next() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard normal by numpy's legacy polar (Marsaglia) method.
    ///
    /// Draws x₁, x₂ uniform in (−1, 1) until r² = x₁² + x₂² lies in (0, 1); with
    /// f = √(−2·ln r² / r²) it returns f·x₂ and keeps f·x₁ for the next call.
    public mutating func normal() -> Double {
        if let cached = cachedNormal {
            cachedNormal = nil
            return cached
        }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2.0 * uniform() - 1.0
            x2 = 2.0 * uniform() - 1.0
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1.0 || r2 == 0.0
        let f = (-2.0 * Foundation.log(r2) / r2).squareRoot()
        cachedNormal = f * x1
        return f * x2
    }

    /// A uniform integer in 0...max by numpy's legacy `random_interval`: draws 32-bit words, masks
    /// them to the smallest all-ones mask covering `max`, and rejects values above `max`.
    public mutating func interval(_ max: UInt32) -> UInt32 {
        if max == 0 { return 0 }
        var mask = max
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = bits.next() & mask
            if value <= max { return value }
        }
    }

    /// Shuffles `values` in place as numpy's legacy `shuffle`: Fisher–Yates from the last index
    /// down, swapping element i with element `interval(i)`.
    public mutating func shuffle<Element>(_ values: inout [Element]) {
        requireValid(
            values.count <= Int(UInt32.max), "shuffle: \(values.count) elements is more than this generator draws for")
        // Through the buffer: the array's own swapAt allocates per call in unoptimised builds, and
        // the training engine shuffles before every epoch.
        values.withUnsafeMutableBufferPointer { buffer in
            var i = buffer.count - 1
            while i > 0 {
                buffer.swapAt(i, Int(interval(UInt32(i))))
                i -= 1
            }
        }
    }

    /// `np.random.permutation(n)`: 0..<n shuffled by `shuffle`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var values = Array(0..<n)
        shuffle(&values)
        return values
    }

    /// `np.random.randn(rows, cols)`: standard normals filling the matrix row by row.
    public mutating func randn(_ rows: Int, _ cols: Int) -> Matrix {
        requireValid(rows > 0 && cols > 0, "randn: shape (\(rows),\(cols)) must have positive sizes")
        return Matrix(rows: rows, cols: cols, scalars: (0..<rows * cols).map { _ in normal() })
    }

    /// `np.random.rand(rows, cols)`: uniforms in [0, 1) filling the matrix row by row.
    public mutating func rand(_ rows: Int, _ cols: Int) -> Matrix {
        requireValid(rows > 0 && cols > 0, "rand: shape (\(rows),\(cols)) must have positive sizes")
        return Matrix(rows: rows, cols: cols, scalars: (0..<rows * cols).map { _ in uniform() })
    }
}
