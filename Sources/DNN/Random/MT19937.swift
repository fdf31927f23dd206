/// The Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998): the bit generator behind numpy's
/// legacy `np.random.RandomState`, producing 32-bit words.
struct MT19937: Sendable {
    private static let stateSize = 624
    private static let shift = 397
    private static let matrixA: UInt32 = 0x9908_b0df
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7fff_ffff

    private var state = [UInt32](repeating: 0, count: MT19937.stateSize)
    private var index = MT19937.stateSize

    /// Seeded as `init_genrand(seed)`, which is what `np.random.seed(n)` does for an integer n:
    /// mt[0] = seed, mt[i] = 1812433253·(mt[i-1] ⊕ (mt[i-1] >> 30)) + i (mod 2³²).
    init(seed: UInt32) {
        reseed(seed)
    }

    /// Seeds again in place, reusing the state's storage (no allocation).
    mutating func reseed(_ seed: UInt32) {
        state[0] = seed
        for i in 1..<Self.stateSize {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        index = Self.stateSize
    }

    /// The next 32-bit output (`genrand_int32`).
    mutating func next() -> UInt32 {
        if index >= Self.stateSize { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// Regenerates all 624 words of state at once (the reference `genrand_int32` refill, in its
    /// three index ranges so that no word needs a modulo).
    private mutating func twist() {
        let n = Self.stateSize, m = Self.shift
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func mix(_ i: Int, _ next: Int, _ far: Int) {
                let y = (mt[i] & Self.upperMask) | (mt[next] & Self.lowerMask)
                mt[i] = mt[far] ^ (y >> 1) ^ ((y & 1) == 1 ? Self.matrixA : 0)
            }
            for i in 0..<n - m { mix(i, i + 1, i + m) }
            for i in n - m..<n - 1 { mix(i, i + 1, i + m - n) }
            mix(n - 1, 0, m - 1)
        }
        index = 0
    }
}
