/// A dense matrix of `Double`, stored row-major like a 2-D numpy array in C order, with value semantics.
///
/// Element (i, j) lives at `scalars[i * cols + j]`. Copies share storage until one of them is
/// written to (copy-on-write through `Array`). Every matrix has at least one row and one column.
public struct Matrix: Equatable, Sendable {
    /// Number of rows (numpy's `shape[0]`).
    public let rows: Int
    /// Number of columns (numpy's `shape[1]`).
    public let cols: Int
    /// The elements in row-major order.
    public internal(set) var scalars: [Double]

    /// A `rows`×`cols` matrix over row-major `scalars`.
    public init(rows: Int, cols: Int, scalars: [Double]) {
        requireValid(
            rows > 0 && cols > 0,
            "Matrix: shape (\(rows),\(cols)) is empty or negative; both sizes must be at least 1")
        requireValid(
            scalars.count == rows * cols,
            "Matrix: \(scalars.count) elements cannot fill shape (\(rows), \(cols))")
        self.rows = rows
        self.cols = cols
        self.scalars = scalars
    }

    /// A `rows`×`cols` matrix with every element equal to `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        requireValid(
            rows > 0 && cols > 0,
            "Matrix: shape (\(rows),\(cols)) is empty or negative; both sizes must be at least 1")
        self.init(rows: rows, cols: cols, scalars: Array(repeating: value, count: rows * cols))
    }

    /// A matrix from its rows, as numpy's `np.array([[1, 2], [3, 4]])`.
    public init(_ rowArrays: [[Double]]) {
        requireValid(
            !rowArrays.isEmpty && !rowArrays[0].isEmpty,
            "Matrix: cannot build a matrix from no rows or empty rows")
        let cols = rowArrays[0].count
        for (i, row) in rowArrays.enumerated() {
            requireValid(
                row.count == cols,
                "Matrix: row \(i) has \(row.count) elements, row 0 has \(cols)")
        }
        self.init(rows: rowArrays.count, cols: cols, scalars: rowArrays.flatMap { $0 })
    }

    /// The zero matrix of the given shape (`np.zeros((rows, cols))`).
    public static func zeros(_ rows: Int, _ cols: Int) -> Matrix {
        Matrix(rows: rows, cols: cols)
    }

    /// The element in row `i`, column `j` (both from 0).
    public subscript(i: Int, j: Int) -> Double {
        get {
            requireValid(
                i >= 0 && i < rows && j >= 0 && j < cols,
                "Matrix: index (\(i), \(j)) is out of bounds for shape \(shapeDescription)")
            return scalars[i * cols + j]
        }
        set {
            requireValid(
                i >= 0 && i < rows && j >= 0 && j < cols,
                "Matrix: index (\(i), \(j)) is out of bounds for shape \(shapeDescription)")
            scalars[i * cols + j] = newValue
        }
    }

    /// The columns `range` (examples, in the course's layout), as a rows×range.count matrix.
    public func columns(_ range: Range<Int>) -> Matrix {
        if range == 0..<cols { return self }
        return Matrix(
            rows: rows, cols: range.count,
            scalars: (0..<rows).flatMap { r in scalars[r * cols + range.lowerBound..<r * cols + range.upperBound] })
    }

    /// The rows as arrays: the inverse of `init(_:)`.
    public var rowArrays: [[Double]] {
        (0..<rows).map { Array(scalars[$0 * cols..<($0 + 1) * cols]) }
    }

    /// The shape written as numpy writes it in its error messages: `(3,2)`.
    public var shapeDescription: String { "(\(rows),\(cols))" }

    /// Whether the two matrices have the same shape.
    public func hasSameShape(as other: Matrix) -> Bool {
        rows == other.rows && cols == other.cols
    }
}
