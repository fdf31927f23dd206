import Foundation

// Elementwise arithmetic with numpy's broadcasting rules for two dimensions: along each axis the
// sizes must be equal, or one of them must be 1 and is stretched. So an n×1 column (a bias) is
// added to every column of an n×m matrix, a 1×m row to every row, and a 1×1 matrix or a scalar
// to every element. Any other pair of shapes stops with numpy's message.

extension Matrix {
    /// The shape of `op(a, b)` under numpy broadcasting, or a stop naming `operation` and both shapes.
    static func broadcastShape(_ a: Matrix, _ b: Matrix, operation: String) -> (rows: Int, cols: Int) {
        func axis(_ x: Int, _ y: Int) -> Int? { x == y || y == 1 ? x : (x == 1 ? y : nil) }
        guard let rows = axis(a.rows, b.rows), let cols = axis(a.cols, b.cols) else {
            fatalError(
                "\(operation): operands could not be broadcast together with shapes "
                    + "\(a.shapeDescription) \(b.shapeDescription)")
        }
        return (rows, cols)
    }

    /// `op` applied element by element to `a` and `b` broadcast to a common shape.
    static func broadcasting(
        _ a: Matrix, _ b: Matrix, operation: String, _ op: (Double, Double) -> Double
    ) -> Matrix {
        if a.hasSameShape(as: b) {
            return Matrix(
                rows: a.rows, cols: a.cols,
                scalars: zip(a.scalars, b.scalars).map { op($0, $1) })
        }
        let shape = broadcastShape(a, b, operation: operation)
        // A stretched axis has stride 0: every index along it reads element 0.
        let aRowStride = a.rows == 1 ? 0 : a.cols, aColStride = a.cols == 1 ? 0 : 1
        let bRowStride = b.rows == 1 ? 0 : b.cols, bColStride = b.cols == 1 ? 0 : 1
        var result = [Double]()
        result.reserveCapacity(shape.rows * shape.cols)
        for i in 0..<shape.rows {
            for j in 0..<shape.cols {
                result.append(
                    op(
                        a.scalars[i * aRowStride + j * aColStride],
                        b.scalars[i * bRowStride + j * bColStride]))
            }
        }
        return Matrix(rows: shape.rows, cols: shape.cols, scalars: result)
    }

    /// `transform` applied to every element; the shape is kept.
    public func map(_ transform: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, cols: cols, scalars: scalars.map(transform))
    }

    /// Elementwise sum with broadcasting (numpy `a + b`).
    public static func + (a: Matrix, b: Matrix) -> Matrix { broadcasting(a, b, operation: "+", +) }
    /// Elementwise difference with broadcasting (numpy `a - b`).
    public static func - (a: Matrix, b: Matrix) -> Matrix { broadcasting(a, b, operation: "-", -) }
    /// Elementwise (Hadamard) product with broadcasting (numpy `a * b`, `np.multiply`).
    public static func * (a: Matrix, b: Matrix) -> Matrix { broadcasting(a, b, operation: "*", *) }
    /// Elementwise quotient with broadcasting (numpy `a / b`).
    public static func / (a: Matrix, b: Matrix) -> Matrix { broadcasting(a, b, operation: "/", /) }

    /// `s` added to every element (numpy `a + s`); the shape is kept.
    public static func + (a: Matrix, s: Double) -> Matrix { a.map { $0 + s } }
    /// `s` added to every element (numpy `s + a`); the shape is kept.
    public static func + (s: Double, a: Matrix) -> Matrix { a.map { s + $0 } }
    /// `s` subtracted from every element (numpy `a - s`); the shape is kept.
    public static func - (a: Matrix, s: Double) -> Matrix { a.map { $0 - s } }
    /// Every element subtracted from `s` (numpy `s - a`); the shape is kept.
    public static func - (s: Double, a: Matrix) -> Matrix { a.map { s - $0 } }
    /// Every element multiplied by `s` (numpy `a * s`); the shape is kept.
    public static func * (a: Matrix, s: Double) -> Matrix { a.map { $0 * s } }
    /// Every element multiplied by `s` (numpy `s * a`); the shape is kept.
    public static func * (s: Double, a: Matrix) -> Matrix { a.map { s * $0 } }
    /// Every element divided by `s` (numpy `a / s`); the shape is kept.
    public static func / (a: Matrix, s: Double) -> Matrix { a.map { $0 / s } }
    /// `s` divided by every element (numpy `s / a`); the shape is kept.
    public static func / (s: Double, a: Matrix) -> Matrix { a.map { s / $0 } }
    /// Every element negated (numpy `-a`); the shape is kept.
    public static prefix func - (a: Matrix) -> Matrix { a.map { -$0 } }

    /// The sum of all elements (`np.sum(a)`).
    public func sum() -> Double { scalars.reduce(0, +) }

    /// The sum along `axis`, keeping it with size 1 (`np.sum(a, axis=axis, keepdims=True)`).
    ///
    /// Shapes: axis 0 sums each column, n×m → 1×m; axis 1 sums each row, n×m → n×1.
    public func sum(axis: Int) -> Matrix {
        requireValid(axis == 0 || axis == 1, "Matrix.sum: axis \(axis) is out of bounds for a matrix")
        if axis == 1 {
            return Matrix(
                rows: rows, cols: 1,
                scalars: (0..<rows).map { i in scalars[i * cols..<(i + 1) * cols].reduce(0, +) })
        }
        var totals = [Double](repeating: 0, count: cols)
        for i in 0..<rows {
            for j in 0..<cols { totals[j] += scalars[i * cols + j] }
        }
        return Matrix(rows: 1, cols: cols, scalars: totals)
    }

    /// The transpose, m×n → n×m (numpy `a.T`), as a new row-major matrix.
    ///
    /// Products never need this: `Matrix.product` reads a transposed operand in place.
    public var T: Matrix {
        var result = [Double](repeating: 0, count: scalars.count)
        for i in 0..<rows {
            for j in 0..<cols { result[j * rows + i] = scalars[i * cols + j] }
        }
        return Matrix(rows: cols, cols: rows, scalars: result)
    }
}
