import Foundation
import RealModule

/// Sigmoid units and the binary cross-entropy: a = σ(z) is a probability, and per unit
/// loss = −[y·log a + (1 − y)·log(1 − a)], summed over the units, dZ = a − y. One unit is the
/// course's output for two classes (a is the probability of class 1, y the class index); L units
/// are L independent labels (multi-label), y each a 0/1 indicator.
///
/// A term 0·log 0 counts as 0 (its limit), as the course's next part takes it with `nansum`: a
/// saturated right answer costs 0, a saturated wrong one inf, and neither NaN.
public struct SigmoidCrossEntropy: LossFunction {
    /// The sigmoid loss; it has no parameters.
    public init() {}

    /// ONNX's "Sigmoid", elementwise on the N×units output.
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Sigmoid") }
    /// One target row per unit (a class index for one unit is its indicator).
    public func targetRows(units: Int) -> Int { units }
    /// Any number of units.
    public func validate(units: Int) throws {}

    /// A[L] = σ(Z[L]), elementwise: the probability of class 1, or of each label.
    public func output(_ Z: Matrix) -> Matrix { Activation.sigmoid(Z) }

    /// The course's `compute_cost`: J = −(1/m)·Σ [y·log a + (1 − y)·log(1 − a)] over every entry,
    /// with a term 0·log 0 counted as 0 as in the engine (a saturated right answer costs 0, not NaN).
    public func cost(_ AL: Matrix, _ Y: Matrix) -> Double {
        var total = 0.0
        for (a, y) in zip(AL.scalars, Y.scalars) {
            total += (y != 0 ? y * log(a) : 0) + (y != 1 ? (1 - y) * log(1 - a) : 0)
        }
        return -1 / Double(Y.cols) * total
    }

    /// Each column's cross-entropy, summed over its units.
    public func losses(_ AL: Matrix, _ Y: Matrix) -> [Double] {
        (0..<AL.cols).map { j in
            -(0..<AL.rows).reduce(0.0) { total, k in
                let (a, y) = (AL[k, j], Y[k, j])
                return total + (y != 0 ? y * log(a) : 0) + (y != 1 ? (1 - y) * log(1 - a) : 0)
            }
        }
    }

    /// As the course: dAL = −(Y/AL − (1 − Y)/(1 − AL)), then through the sigmoid's derivative.
    public func backward(_ AL: Matrix, _ Y: Matrix, _ Z: Matrix) -> Matrix {
        Activation.sigmoid.backward(-(Y / AL - (1 - Y) / (1 - AL)), Z)
    }

    /// σ(z + b) in place, float64.
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int
    ) { for k in 0..<units { logistic(values + k * stride, adding: bias[k], count: cols) } }

    /// σ(z + b) in place, float32.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int
    ) { for k in 0..<units { logistic(values + k * stride, adding: bias[k], count: cols) } }

    /// σ, the cross-entropy and dZ = a − y in one pass, float64.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Double>, targetStride: Int, weights: UnsafePointer<Double>?,
        gradient: UnsafeMutablePointer<Double>
    ) -> Double {
        var cost = 0.0
        for k in 0..<units {
            cost += trainingLoop(
                values + k * stride, bias[k], cols, targets + k * targetStride, weights, gradient + k * stride)
        }
        return cost
    }

    /// σ, the cross-entropy and dZ = a − y in one pass, float32.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Float>, targetStride: Int, weights: UnsafePointer<Float>?,
        gradient: UnsafeMutablePointer<Float>
    ) -> Double {
        var cost = 0.0
        for k in 0..<units {
            cost += trainingLoop(
                values + k * stride, bias[k], cols, targets + k * targetStride, weights, gradient + k * stride)
        }
        return cost
    }

    /// σ, the cross-entropy (summed in Double) and a − y over one row, each column's times its
    /// weight when there are weights.
    @inline(__always)
    func trainingLoop<T: Real & BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ b: T, _ cols: Int, _ labels: UnsafePointer<T>,
        _ weights: UnsafePointer<T>?, _ gradient: UnsafeMutablePointer<T>
    ) -> Double {
        var cost = 0.0
        // σ for the whole row first, by the vector kernel.
        logistic(values, adding: b, count: cols)
        // Two loops, not a test per column: the unweighted one stays as the compiler vectorises it.
        guard let weights else {
            for j in 0..<cols {
                let a = values[j]
                let y = labels[j]
                cost -= Double((y != 0 ? y * T.log(a) : 0) + (y != 1 ? (1 - y) * T.log(1 - a) : 0))
                gradient[j] = a - y
            }
            return cost
        }
        for j in 0..<cols {
            let a = values[j]
            let y = labels[j], w = weights[j]
            cost -= Double(w) * Double((y != 0 ? y * T.log(a) : 0) + (y != 1 ? (1 - y) * T.log(1 - a) : 0))
            gradient[j] = w * (a - y)
        }
        return cost
    }
}

extension Loss {
    /// Sigmoid units, binary cross-entropy: two classes (one unit), or independent labels.
    public static let sigmoid = Loss(name: "sigmoid", function: SigmoidCrossEntropy())
}
