import CVectorMath

/// e^x of `count` values in place, by the C kernel of `CVectorMath`: a range-reduced polynomial
/// within 0.8 ulp of the exact value over the whole range (`scripts/check-exp` checks every float32
/// and 10⁷ float64 inputs), vectorised with AVX2 or AVX-512 where the CPU has them and the same bits
/// on every CPU. glibc's exp takes one value per call (about 3 ns); this, about 0.4 ns per value.
///
/// Generic over the engine's two precisions; each specialisation keeps only its own branch.
@inline(__always)
func exponentiate<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, count: Int) {
    if T.self == Double.self {
        values.withMemoryRebound(to: Double.self, capacity: count) { dnn_exp_f64($0, $0, count) }
    } else if T.self == Float.self {
        values.withMemoryRebound(to: Float.self, capacity: count) { dnn_exp_f32($0, $0, count) }
    } else {
        preconditionFailure("exponentiate: only Float and Double")
    }
}

/// σ(z + b) = 1 / (1 + e^(−(z + b))) over `count` values of a row in place, e^ by `exponentiate`:
/// the sigmoid activation's and the sigmoid head's kernel.
@inline(__always)
func logistic<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, adding b: T, count: Int) {
    for j in 0..<count { values[j] = -(values[j] + b) }
    exponentiate(values, count: count)
    for j in 0..<count { values[j] = 1 / (1 + values[j]) }
}
