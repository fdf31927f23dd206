// The one file that imports BLAS: OpenBLAS's CBLAS on Linux, Accelerate on Apple platforms.
// Everything else in the package calls `BLASScalar.gemm` and never sees a platform difference.
#if canImport(Accelerate)
    import Accelerate
#else
    import CBLAS
#endif

/// A floating-point type that BLAS has a general matrix product for (`Float`: sgemm, `Double`: dgemm).
protocol BLASScalar: BinaryFloatingPoint, Sendable {
    /// C ← α·op(A)·op(B) + β·C on row-major storage, where op(X) is X or Xᵀ.
    ///
    /// Shapes: op(A) is m×k, op(B) is k×n, C is m×n; `lda`, `ldb`, `ldc` are the row strides of the
    /// stored (untransposed) arrays. A transposed operand is read in place, never copied.
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

@inline(__always)
private func cblasTranspose(_ transpose: Bool) -> CBLAS_TRANSPOSE {
    transpose ? CblasTrans : CblasNoTrans
}

extension Double: BLASScalar {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Float: BLASScalar {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
