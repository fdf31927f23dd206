import Foundation

/// The identity output and the squared error, for regression: A = Z, per example
/// loss = ½·Σₖ (a_k − y_k)² over the k targets, so that J = (1/(2m))·Σᵢ Σₖ (A[k,i] − Y[k,i])² and
/// dZ = A − Y. Y holds one row per target.
public struct SquaredError: LossFunction {
    /// The squared error; it has no parameters.
    public init() {}

    /// None: the output is Z itself.
    public var onnxOperator: ONNXOperator? { nil }
    /// One target row per output.
    public func targetRows(units: Int) -> Int { units }
    /// Any number of targets.
    public func validate(units: Int) throws {}

    /// A[L] = Z[L].
    public func output(_ Z: Matrix) -> Matrix { Z }

    /// J = (1/(2m))·Σ (A − Y)² over every entry, with m the columns.
    public func cost(_ AL: Matrix, _ Y: Matrix) -> Double {
        var total = 0.0
        for (a, y) in zip(AL.scalars, Y.scalars) { total += (a - y) * (a - y) }
        return total / (2 * Double(Y.cols))
    }

    /// Each column's ½·Σₖ (a − y)².
    public func losses(_ AL: Matrix, _ Y: Matrix) -> [Double] {
        (0..<AL.cols).map { j in (0..<AL.rows).reduce(0.0) { $0 + (AL[$1, j] - Y[$1, j]) * (AL[$1, j] - Y[$1, j]) } / 2
        }
    }

    /// dZ[L] = A − Y (the identity's derivative is 1); Z is not read.
    public func backward(_ AL: Matrix, _ Y: Matrix, _ Z: Matrix) -> Matrix { AL - Y }

    /// Z + b in place, float64.
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int
    ) { addBias(values, bias, units, cols, stride) }

    /// Z + b in place, float32.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int
    ) { addBias(values, bias, units, cols, stride) }

    /// a = z + b, ½·(a − y)² summed, dZ = a − y, float64.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Double>, targetStride: Int, weights: UnsafePointer<Double>?,
        gradient: UnsafeMutablePointer<Double>
    ) -> Double { trainingLoop(values, bias, units, cols, stride, targets, targetStride, weights, gradient) }

    /// a = z + b, ½·(a − y)² summed (in Double), dZ = a − y, float32.
    public func lossAndGradient(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int, cols: Int, stride: Int,
        targets: UnsafePointer<Float>, targetStride: Int, weights: UnsafePointer<Float>?,
        gradient: UnsafeMutablePointer<Float>
    ) -> Double { trainingLoop(values, bias, units, cols, stride, targets, targetStride, weights, gradient) }

    @inline(__always)
    func addBias<T: BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, _ units: Int, _ cols: Int, _ stride: Int
    ) {
        for k in 0..<units {
            let b = bias[k], row = values + k * stride
            for j in 0..<cols { row[j] += b }
        }
    }

    @inline(__always)
    func trainingLoop<T: BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, _ units: Int, _ cols: Int, _ stride: Int,
        _ targets: UnsafePointer<T>, _ targetStride: Int, _ weights: UnsafePointer<T>?,
        _ gradient: UnsafeMutablePointer<T>
    ) -> Double {
        var squares = 0.0
        for k in 0..<units {
            let b = bias[k], row = values + k * stride, y = targets + k * targetStride, d = gradient + k * stride
            guard let weights else {
                for j in 0..<cols {
                    let a = row[j] + b
                    row[j] = a
                    d[j] = a - y[j]
                    squares += Double(d[j]) * Double(d[j])
                }
                continue
            }
            for j in 0..<cols {
                let a = row[j] + b, error = a - y[j]
                row[j] = a
                d[j] = weights[j] * error
                squares += Double(weights[j]) * Double(error) * Double(error)
            }
        }
        return squares / 2
    }
}

extension Loss {
    /// The identity output and the squared error: regression, one unit per target.
    public static let squaredError = Loss(name: "squared-error", function: SquaredError())
}
