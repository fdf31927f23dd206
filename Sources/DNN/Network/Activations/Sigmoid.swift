import RealModule

/// The logistic function: g(z) = 1 / (1 + e^(−z)); g′ = a·(1 − a).
public struct Sigmoid: ActivationFunction {
    /// The sigmoid; it has no parameters.
    public init() {}
    /// ONNX's "Sigmoid".
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Sigmoid") }
    /// g(z) = 1 / (1 + e^(−z)).
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { 1 / (1 + .exp(-z)) }
    /// g′ = a·(1 − a).
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { a * (1 - a) }

    /// A = 1 / (1 + e^(−(Z + b))) row by row, e^ by the vector kernel (`exponentiate`).
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int
    ) { logistic(values, bias, rows, cols, stride) }

    /// The same in float32.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int
    ) { logistic(values, bias, rows, cols, stride) }

    @inline(__always)
    func logistic<T: BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, _ bias: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ stride: Int
    ) {
        for i in 0..<rows {
            let row = values + i * stride, b = bias[i]
            for j in 0..<cols { row[j] = -(row[j] + b) }
            exponentiate(row, count: cols)
            for j in 0..<cols { row[j] = 1 / (1 + row[j]) }
        }
    }
}

extension Activation {
    /// A = 1 / (1 + e^(−Z)): the course's output layer, or a hidden layer.
    public static let sigmoid = Activation(name: "sigmoid", function: Sigmoid())
}
