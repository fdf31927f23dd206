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

    /// The upper triangle of C ← Aᵀ·A on row-major storage, A being k×n and C n×n (a Gram matrix).
    static func syrkTransposed(
        n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// y ← α·x + y over `count` elements.
    static func axpy(count: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

    /// y ← α·A·x on row-major storage, A being m×n with row stride `lda` (a matrix-vector product).
    static func gemv(
        m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int, x: UnsafePointer<Self>,
        y: UnsafeMutablePointer<Self>)
}

/// Caps the threads BLAS itself starts for one product (OpenBLAS); Accelerate manages its own.
///
/// OpenBLAS starts the threads it lacks when asked for more, and when the system refuses one (a
/// limit on processes, or on memory for its stack) it hands work to the missing thread and waits
/// forever. So it is asked only for as many as could be started just now: `count − 1` threads are
/// started and held together, and those that started are counted, then released.
func setBLASThreadCount(_ count: Int) {
    requestBLASThreads(1 + ParallelRunner.startableThreads(upTo: count - 1))
}

/// Asks BLAS for `count` threads, startable or not (the probe above starts threads of its own,
/// which would blur the allocation test's view of what OpenBLAS allocates).
func requestBLASThreads(_ count: Int) {
    #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(count))
    #endif
}

/// The name of the kernels BLAS chose for this CPU (OpenBLAS's core name, e.g. "Haswell").
public func blasKernelName() -> String {
    #if canImport(Accelerate)
        return "Accelerate"
    #else
        return String(cString: openblas_get_corename())
    #endif
}

/// The number of threads BLAS would use for one product.
func blasThreadCount() -> Int {
    #if canImport(Accelerate)
        return 1
    #else
        return Int(openblas_get_num_threads())
    #endif
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

    static func syrkTransposed(
        n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), 1, a, Int32(lda), 0, c, Int32(ldc))
    }

    static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(Int32(count), alpha, x, 1, y, 1)
    }

    static func gemv(
        m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int, x: UnsafePointer<Double>,
        y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, 0, y, 1)
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

    static func syrkTransposed(
        n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), 1, a, Int32(lda), 0, c, Int32(ldc))
    }

    static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }

    static func gemv(
        m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
        y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, 0, y, 1)
    }
}
