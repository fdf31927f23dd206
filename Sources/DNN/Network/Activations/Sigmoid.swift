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

    /// A = 1 / (1 + e^(−(Z + b))) row by row, by the vector kernel (`logistic`).
    public func activate(
        _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, rows: Int, cols: Int, stride: Int
    ) { for i in 0..<rows { logistic(values + i * stride, adding: bias[i], count: cols) } }

    /// The same in float32.
    public func activate(
        _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, cols: Int, stride: Int
    ) { for i in 0..<rows { logistic(values + i * stride, adding: bias[i], count: cols) } }
}

extension Activation {
    /// A = 1 / (1 + e^(−Z)): the course's output layer, or a hidden layer.
    public static let sigmoid = Activation(name: "sigmoid", function: Sigmoid())
}
