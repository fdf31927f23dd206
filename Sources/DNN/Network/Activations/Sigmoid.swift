import RealModule

/// The logistic function: g(z) = 1 / (1 + e^(−z)); g′ = a·(1 − a).
public struct Sigmoid: ActivationFunction {
    public init() {}
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Sigmoid") }
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { 1 / (1 + .exp(-z)) }
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { a * (1 - a) }
}

extension Activation {
    /// A = 1 / (1 + e^(−Z)): the course's output layer, or a hidden layer.
    public static let sigmoid = Activation(name: "sigmoid", function: Sigmoid())
}
