import Foundation

/// The rate of one matrix product of a training pass, timed alone on the same BLAS and threads,
/// beside the machine's measured limit: what `dnn bench --products` prints.
public struct ProductRate: Sendable {
    /// What the product computes, e.g. "Z1 = W1·X".
    public let name: String
    /// op(A) is m×k, op(B) k×n.
    public let m, n, k: Int
    /// The median of three timed runs.
    public let seconds: Double

    /// 2·m·n·k floating-point operations over `seconds`, in 10⁹ per second.
    public var gigaflopsPerSecond: Double { 2 * Double(m) * Double(n) * Double(k) / seconds / 1e9 }
}

extension ProductRate {
    /// Times a large square product (the machine's limit for these BLAS kernels and threads) and
    /// each product of a direct-path pass of `layerSizes` on batches of `batch` examples, in
    /// `precision` on `threads` BLAS threads. Returns the square product first.
    public static func measure(layerSizes: [Int], batch: Int, precision: Precision, threads: Int) -> [ProductRate] {
        switch precision {
        case .float64: return measure(Double.self, layerSizes, batch, threads)
        case .float32: return measure(Float.self, layerSizes, batch, threads)
        }
    }

    private static func measure<Scalar: EngineScalar>(
        _: Scalar.Type, _ sizes: [Int], _ batch: Int, _ threads: Int
    ) -> [ProductRate] {
        let previous = blasThreadCount()
        setBLASThreadCount(threads)
        defer { setBLASThreadCount(previous) }
        // (name, transposeA, transposeB, m, n, k), row-major as the engine calls them.
        var shapes = [("square product", false, false, 3072, 3072, 3072)]
        for l in 1..<sizes.count {
            let (rows, inner) = (sizes[l], sizes[l - 1])
            let input = l == 1 ? "X" : "A\(l - 1)"
            shapes.append(("Z\(l) = W\(l)·\(input)", false, false, rows, batch, inner))
            shapes.append(("dW\(l) = dZ\(l)·\(input)ᵀ", false, true, rows, inner, batch))
            if l > 1 { shapes.append(("dA\(l - 1) = W\(l)ᵀ·dZ\(l)", true, false, inner, batch, rows)) }
        }
        return shapes.map { name, transposeA, transposeB, m, n, k in
            let a = UnsafeMutableBufferPointer<Scalar>.allocateZeroed(m * k)
            let b = UnsafeMutableBufferPointer<Scalar>.allocateZeroed(k * n)
            let c = UnsafeMutableBufferPointer<Scalar>.allocateZeroed(m * n)
            defer { for buffer in [a, b, c] { buffer.deallocate() } }
            // Values that keep every product finite: zeros would let a kernel skip work.
            for i in a.indices { a[i] = Scalar(i % 7) / 7 }
            for i in b.indices { b[i] = Scalar(i % 5) / 5 }
            let product = PlannedProduct(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1, a: a.baseAddress!,
                lda: transposeA ? m : k, b: b.baseAddress!, ldb: transposeB ? k : n, beta: 0, c: c.baseAddress!,
                ldc: n)
            func run() -> Double {
                let start = DispatchTime.now().uptimeNanoseconds
                product.run()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            _ = run()  // warm: BLAS's buffers and threads, the operands in cache as in training
            let times = (0..<3).map { _ in run() }.sorted()
            return ProductRate(name: name, m: m, n: n, k: k, seconds: times[1])
        }
    }
}
