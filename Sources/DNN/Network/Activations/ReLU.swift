import RealModule

/// The rectified linear unit: g(z) = max(0, z) (NaN stays NaN); g′ = 1 where z > 0, else 0
/// (0 at z = 0 exactly, as the course's `relu_backward`), read from the output as a > 0.
public struct ReLU: ActivationFunction {
    public init() {}
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Relu") }
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { z > 0 || z.isNaN ? z : 0 }
    public var hasKinkAtZero: Bool { true }
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { a > 0 ? 1 : 0 }
}

extension Activation {
    /// A = max(0, Z): the course's hidden layers.
    public static let relu = Activation(name: "relu", function: ReLU())
}
