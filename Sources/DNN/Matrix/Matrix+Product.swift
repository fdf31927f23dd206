extension Matrix {
    /// The matrix product op(A)·op(B) through BLAS `dgemm`, where op(X) is X or Xᵀ.
    ///
    /// Shapes: op(A) is n×k and op(B) is k×m; the result is n×m. A transposed operand is read in
    /// place through BLAS's transpose flag, never copied. Inner sizes that differ stop with
    /// numpy's message, prefixed by `function` (the caller's name by default).
    public static func product(
        _ a: Matrix, _ b: Matrix, transposingA: Bool = false, transposingB: Bool = false,
        function: String = #function
    ) -> Matrix {
        let (n, kA) = transposingA ? (a.cols, a.rows) : (a.rows, a.cols)
        let (kB, m) = transposingB ? (b.cols, b.rows) : (b.rows, b.cols)
        requireValid(
            kA == kB,
            "\(function): shapes (\(n),\(kA)) and (\(kB),\(m)) not aligned: "
                + "\(kA) (dim 1) != \(kB) (dim 0)")
        var result = [Double](repeating: 0, count: n * m)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                result.withUnsafeMutableBufferPointer { pc in
                    Double.gemm(
                        transposeA: transposingA, transposeB: transposingB, m: n, n: m, k: kA,
                        alpha: 1, a: pa.baseAddress!, lda: a.cols, b: pb.baseAddress!, ldb: b.cols,
                        beta: 0, c: pc.baseAddress!, ldc: m)
                }
            }
        }
        return Matrix(rows: n, cols: m, scalars: result)
    }
}

/// The matrix product A·B (numpy's `np.dot(A, B)` for 2-D arrays), through BLAS.
///
/// Shapes: A is n×k, B is k×m; the result is n×m.
public func dot(_ a: Matrix, _ b: Matrix) -> Matrix {
    Matrix.product(a, b, function: "dot")
}
