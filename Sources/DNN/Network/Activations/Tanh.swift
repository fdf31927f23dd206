import RealModule

/// The hyperbolic tangent: g(z) = tanh z; g′ = 1 − a² (the course's week-3 hidden layer).
public struct Tanh: ActivationFunction {
    /// The tanh; it has no parameters.
    public init() {}
    /// ONNX's "Tanh".
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Tanh") }
    /// g(z) = tanh z.
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { .tanh(z) }
    /// g′ = 1 − a².
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { 1 - a * a }
}

extension Activation {
    /// A = tanh(Z).
    public static let tanh = Activation(name: "tanh", function: Tanh())
}
