import DNN
import Foundation
import Testing

@Suite("Matrix: storage, broadcasting, reductions, BLAS product")
struct MatrixTests {
    @Test("row-major storage and subscripts")
    func storage() {
        var m = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.cols == 3)
        #expect(m.scalars == [1, 2, 3, 4, 5, 6])
        #expect(m[1, 0] == 4)
        let copy = m
        m[1, 0] = 40
        #expect(copy[1, 0] == 4, "value semantics: the copy keeps its element")
        #expect(m.rowArrays == [[1, 2, 3], [40, 5, 6]])
    }

    @Test("broadcasting follows numpy: column, row, 1×1 and scalar")
    func broadcasting() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(a + Matrix([[10], [20]]) == Matrix([[11, 12, 13], [24, 25, 26]]))
        #expect(a - Matrix([[1, 2, 3]]) == Matrix([[0, 0, 0], [3, 3, 3]]))
        #expect(a * Matrix([[2]]) == a * 2)
        #expect(Matrix([[1], [2]]) * Matrix([[1, 10]]) == Matrix([[1, 10], [2, 20]]))
        #expect(1 - a == Matrix([[0, -1, -2], [-3, -4, -5]]))
        #expect(a / Matrix([[2, 4, 8], [1, 1, 1]]) == Matrix([[0.5, 0.5, 0.375], [4, 5, 6]]))
        #expect(-a == a * -1)
    }

    @Test("sum along an axis keeps the dimension; transpose")
    func reductions() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(a.sum(axis: 0) == Matrix([[5, 7, 9]]))
        #expect(a.sum(axis: 1) == Matrix([[6], [15]]))
        #expect(a.sum() == 21)
        #expect(a.T == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(a.T.T == a)
    }

    @Test("BLAS product with transpose flags agrees with the textbook sum", arguments: [false, true])
    func product(transposing: Bool) {
        var rng = NumPyRandom(seed: 11)
        let a = rng.randn(4, 7), b = rng.randn(7, 5)
        // Tolerance: sums of 7 products of O(1) numbers, any order: well under 1e-14.
        func naive(_ x: Matrix, _ y: Matrix) -> Matrix {
            var out = Matrix.zeros(x.rows, y.cols)
            for i in 0..<x.rows {
                for j in 0..<y.cols {
                    out[i, j] = (0..<x.cols).reduce(0) { $0 + x[i, $1] * y[$1, j] }
                }
            }
            return out
        }
        let expected = naive(a, b)
        let actual =
            transposing
            ? Matrix.product(a.T, b.T, transposingA: true, transposingB: true) : dot(a, b)
        #expect(actual.hasSameShape(as: expected))
        #expect(zip(actual.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-14 })
    }
}

@Suite("Matrix printing: numpy's own output decides")
struct MatrixDescriptionTests {
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let rows: Int
        let cols: Int
        let values: [String]
        let numpy: String
        var testDescription: String { name }
    }

    /// Printed by numpy itself: `scripts/make-numpy-print-fixtures.py`.
    static let cases: [Case] = {
        let url = Reference.directory.appendingPathComponent("numpy-print.json")
        return try! JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }()

    @Test("matches numpy's print", arguments: cases)
    func matchesNumPy(_ c: Case) {
        let matrix = Matrix(rows: c.rows, cols: c.cols, scalars: c.values.map { Double($0)! })
        #expect(matrix.description == c.numpy)
    }

    @Test("every printed block of the reference values is one we check")
    func referenceBlocksParsed() {
        // Each matrix of sections A–C in the JSON must have its printed form in the md, so that
        // `expectReference` compares printed forms for all of them.
        for (caseID, labels) in Reference.values where !caseID.hasPrefix("D") {
            for (label, value) in labels {
                if case .matrix = value {
                    #expect(Reference.printed[caseID]?[label] != nil, "no printed block for \(caseID) / \(label)")
                }
            }
        }
    }
}
