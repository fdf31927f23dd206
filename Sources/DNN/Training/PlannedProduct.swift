/// One matrix product whose operands never move, set up once and run every iteration:
/// C ← α·op(A)·op(B) + β·C, row-major, op(A) m×k, op(B) k×n, C m×n.
///
/// It can compute any range of C's columns on its own, so a product can be split between threads
/// without copying anything: for Z1 = W1·X a range of columns is a range of examples, for
/// dW1 = dZ1·Xᵀ a range of input features.
struct PlannedProduct<Scalar: BLASScalar> {
    let transposeA: Bool
    let transposeB: Bool
    let m: Int
    let n: Int
    let k: Int
    let alpha: Scalar
    let a: UnsafePointer<Scalar>
    let lda: Int
    let b: UnsafePointer<Scalar>
    let ldb: Int
    let beta: Scalar
    let c: UnsafeMutablePointer<Scalar>
    let ldc: Int

    /// Floating-point operations of the whole product: 2·m·n·k.
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// Computes columns `columns` of C.
    func run(columns: Range<Int>) {
        guard !columns.isEmpty else { return }
        // Column j of op(B) starts at b + j when B is stored as is, at b + j·ldb when transposed.
        let bStart = transposeB ? columns.lowerBound * ldb : columns.lowerBound
        Scalar.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: columns.count, k: k,
            alpha: alpha, a: a, lda: lda, b: b + bStart, ldb: ldb, beta: beta, c: c + columns.lowerBound, ldc: ldc)
    }

    /// Computes all of C.
    func run() { run(columns: 0..<n) }

    /// Columns of part `part` when C is split into `parts` nearly equal ranges.
    func columns(part: Int, of parts: Int) -> Range<Int> {
        nearEqualPart(part, of: parts, count: n)
    }
}
