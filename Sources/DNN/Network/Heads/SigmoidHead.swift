import Foundation
import RealModule

/// One sigmoid unit and the binary cross-entropy, the course's output: a = σ(z) is the
/// probability of class 1, loss = −[y·log a + (1 − y)·log(1 − a)], dZ = a − y.
///
/// A term 0·log 0 counts as 0 (its limit), as the course's next part takes it with `nansum`: a
/// saturated right answer costs 0, a saturated wrong one inf, and neither NaN.
public struct SigmoidCrossEntropy: OutputFunction {
    /// The sigmoid head; it has no parameters.
    public init() {}

    /// ONNX's "Sigmoid", elementwise on the N×1 output.
    public var onnxOperator: ONNXOperator { ONNXOperator(type: "Sigmoid") }
    /// One unit, whatever K is (the head is for two classes).
    public func units(classes: Int) -> Int { 1 }
    /// Two classes, whatever `units` is.
    public func classes(units: Int) -> Int { 2 }

    /// A[L] = σ(Z[L]), elementwise: 1×m → 1×m, the probability of class 1.
    public func probabilities(_ Z: Matrix) -> Matrix { Activation.sigmoid(Z) }

    /// The course's `compute_cost`: J = −(1/m)·Σ [y·log a + (1 − y)·log(1 − a)], with a term
    /// 0·log 0 counted as 0 as in the engine (a saturated right answer costs 0, not NaN).
    public func cost(_ AL: Matrix, _ Y: Matrix) -> Double {
        var total = 0.0
        for (a, y) in zip(AL.scalars, Y.scalars) {
            total += (y != 0 ? y * log(a) : 0) + (y != 1 ? (1 - y) * log(1 - a) : 0)
        }
        return -1 / Double(Y.cols) * total
    }

    /// As the course: dAL = −(Y/AL − (1 − Y)/(1 − AL)), then through the sigmoid's derivative.
    public func backward(_ AL: Matrix, _ Y: Matrix, _ Z: Matrix) -> Matrix {
        Activation.sigmoid.backward(-(Y / AL - (1 - Y) / (1 - AL)), Z)
    }

    /// Class 1 where a > 0.5, else class 0 (the course's `predict`), one per column of the 1×m AL.
    public func predictedClasses(_ AL: Matrix) -> [Int] { AL.scalars.map { $0 > 0.5 ? 1 : 0 } }

    /// a = σ(z + b) in place over the one row of `cols` values, and the summed binary cross-entropy
    /// −Σ [y·log a + (1 − y)·log(1 − a)]; `units` and `stride` are not read.
    /// σ(z + b) in place over the one row, float64.
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int
    ) { activateLoop(values, bias[0], cols) }

    /// σ(z + b) in place over the one row, float32.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int
    ) { activateLoop(values, bias[0], cols) }

    /// σ, the cross-entropy and dZ = a − y in one pass, float64.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Double>, targetStride: Int, gradient: UnsafeMutablePointer<Double>
    ) -> Double { trainingLoop(values, bias[0], cols, targets, gradient) }

    /// σ, the cross-entropy and dZ = a − y in one pass, float32.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Float>, targetStride: Int, gradient: UnsafeMutablePointer<Float>
    ) -> Double { trainingLoop(values, bias[0], cols, targets, gradient) }

    @inline(__always)
    func activateLoop<T: Real & BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, _ b: T, _ cols: Int) {
        for j in 0..<cols { values[j] = 1 / (1 + T.exp(-(values[j] + b))) }
    }

    /// σ, the cross-entropy (summed in Double) and a − y, per column.
    @inline(__always)
    func trainingLoop<T: Real & BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ b: T, _ cols: Int, _ labels: UnsafePointer<T>,
        _ gradient: UnsafeMutablePointer<T>
    ) -> Double {
        var cost = 0.0
        for j in 0..<cols {
            let a = 1 / (1 + T.exp(-(values[j] + b)))
            values[j] = a
            let y = labels[j]
            let logLikelihood = (y != 0 ? y * T.log(a) : 0) + (y != 1 ? (1 - y) * T.log(1 - a) : 0)
            cost -= Double(logLikelihood)
            gradient[j] = a - y
        }
        return cost
    }
}

extension OutputHead {
    /// One sigmoid unit, binary cross-entropy: two classes.
    public static let sigmoid = OutputHead(name: "sigmoid", function: SigmoidCrossEntropy())
}
