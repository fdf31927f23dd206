import Foundation
import RealModule

/// K softmax units and the categorical cross-entropy, for K ≥ 3 classes: per column,
/// A = exp(Z − max Z) / Σ exp(Z − max Z), loss = −log A[y], dZ = A − onehot(y).
///
/// As for the sigmoid head, a probability of exactly 0 for the right class costs inf, not NaN.
public struct SoftmaxCrossEntropy: LossFunction {
    /// The softmax head; it has no parameters.
    public init() {}

    /// ONNX's "Softmax" with `axis` 1: over the K units of each example (row) of the N×K output.
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Softmax", attributes: [.int("axis", 1)]) }
    /// One row of class indices.
    public func targetRows(units: Int) -> Int { 1 }
    /// Three classes or more (two take one sigmoid unit).
    public func validate(units: Int) throws {
        guard units >= 3 else {
            throw DNNError("a softmax output of \(units) units: three classes or more (two take one sigmoid unit)")
        }
    }

    /// A[L] = exp(Z − max Z) / Σ exp(Z − max Z) per column: K×m → K×m, each column summing to 1.
    public func output(_ Z: Matrix) -> Matrix {
        var A = Z
        A.scalars.withUnsafeMutableBufferPointer { values in
            Self.normalise(values.baseAddress!, units: Z.rows, cols: Z.cols, stride: Z.cols)
        }
        return A
    }

    /// J = −(1/m)·Σ log A[yᵢ, i], with AL K×m and Y the 1×m class indices.
    public func cost(_ AL: Matrix, _ Y: Matrix) -> Double {
        var total = 0.0
        for j in 0..<AL.cols { total += log(AL[Int(Y.scalars[j]), j]) }
        return -1 / Double(AL.cols) * total
    }

    /// Each column's −log A[y, j].
    public func losses(_ AL: Matrix, _ Y: Matrix) -> [Double] {
        (0..<AL.cols).map { j in -log(AL[Int(Y.scalars[j]), j]) }
    }

    /// dZ[L] = A − onehot(Y): AL with 1 subtracted at each column's label, K×m; Z is not read.
    public func backward(_ AL: Matrix, _ Y: Matrix, _ Z: Matrix) -> Matrix {
        var dZ = AL
        for j in 0..<AL.cols { dZ[Int(Y.scalars[j]), j] -= 1 }
        return dZ
    }

    /// The softmax of Z + b over each column, in place, float64.
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int
    ) { activateLoop(values, bias, units, cols, stride) }

    /// The softmax of Z + b over each column, in place, float32.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int
    ) { activateLoop(values, bias, units, cols, stride) }

    /// The softmax, −log A[y] summed, and dZ = A − onehot(y), float64.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Double>, targetStride: Int, weights: UnsafePointer<Double>?,
        gradient: UnsafeMutablePointer<Double>
    ) -> Double { trainingLoop(values, bias, units, cols, stride, targets, weights, gradient) }

    /// The softmax, −log A[y] summed, and dZ = A − onehot(y), float32.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Float>, targetStride: Int, weights: UnsafePointer<Float>?,
        gradient: UnsafeMutablePointer<Float>
    ) -> Double { trainingLoop(values, bias, units, cols, stride, targets, weights, gradient) }

    @inline(__always)
    func activateLoop<T: Real & BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, _ units: Int, _ cols: Int, _ stride: Int
    ) {
        for k in 0..<units {
            let b = bias[k], row = values + k * stride
            for j in 0..<cols { row[j] += b }
        }
        Self.normalise(values, units: units, cols: cols, stride: stride)
    }

    /// The softmax, then per column −log A[y] (summed in Double) and A − onehot(y).
    @inline(__always)
    func trainingLoop<T: Real & BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, _ units: Int, _ cols: Int, _ stride: Int,
        _ labels: UnsafePointer<T>, _ weights: UnsafePointer<T>?, _ gradient: UnsafeMutablePointer<T>
    ) -> Double {
        for k in 0..<units {
            let b = bias[k], row = values + k * stride
            for j in 0..<cols { row[j] += b }
        }
        Self.normalise(values, units: units, cols: cols, stride: stride)
        var cost = 0.0
        for j in 0..<cols {
            let loss = Double(T.log(values[classIndex(labels[j]) * stride + j]))
            cost -= weights.map { Double($0[j]) * loss } ?? loss
        }
        for k in 0..<units { (gradient + k * stride).update(from: values + k * stride, count: cols) }
        for j in 0..<cols { gradient[classIndex(labels[j]) * stride + j] -= 1 }
        if let weights {
            for k in 0..<units {
                let row = gradient + k * stride
                for j in 0..<cols { row[j] *= weights[j] }
            }
        }
        return cost
    }

    /// Columns processed together by `normalise`: their maxima and sums (two rows of this many)
    /// stay on the stack and in the first-level cache.
    static let columnTile = 64

    /// Each column of a units×cols array (row k at `values + k·stride`), from Z to
    /// exp(Z − max Z) / Σ exp(Z − max Z). A tile of columns at a time, every loop along a row
    /// (contiguous, so that it runs on the vector units) rather than down a column.
    @inline(__always)
    static func normalise<T: Real & BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, units: Int, cols: Int, stride: Int
    ) {
        withUnsafeTemporaryAllocation(of: T.self, capacity: 2 * columnTile) { scratch in
            let largest = scratch.baseAddress!, sum = largest + columnTile
            var start = 0
            while start < cols {
                let width = Swift.min(columnTile, cols - start), first = values + start
                largest.update(from: first, count: width)
                for k in 1..<units {
                    let row = first + k * stride
                    for j in 0..<width { largest[j] = Swift.max(largest[j], row[j]) }
                }
                sum.update(repeating: 0, count: width)
                for k in 0..<units {
                    let row = first + k * stride
                    for j in 0..<width { row[j] -= largest[j] }
                    exponentiate(row, count: width)
                    for j in 0..<width { sum[j] += row[j] }
                }
                for k in 0..<units {
                    let row = first + k * stride
                    for j in 0..<width { row[j] /= sum[j] }
                }
                start += width
            }
        }
    }
}

extension Loss {
    /// K softmax units, categorical cross-entropy: three classes or more.
    public static let softmax = Loss(name: "softmax", function: SoftmaxCrossEntropy())
}
