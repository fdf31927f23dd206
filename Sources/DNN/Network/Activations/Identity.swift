import RealModule

/// No nonlinearity: g(z) = z; g′ = 1.
public struct Identity: ActivationFunction {
    /// The identity; it has no parameters.
    public init() {}
    /// None: the ONNX export passes the value on unchanged.
    public var onnxOperator: ONNXOperator? { nil }
    /// g(z) = z.
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { z }
    /// g′ = 1, whatever a is.
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { 1 }
}

extension Activation {
    /// A = Z.
    public static let identity = Activation(name: "identity", function: Identity())
}
