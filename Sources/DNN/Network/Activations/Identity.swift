import RealModule

/// No nonlinearity: g(z) = z; g′ = 1.
public struct Identity: ActivationFunction {
    public init() {}
    public var onnxOperator: ONNXOperator? { nil }
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { z }
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { 1 }
}

extension Activation {
    /// A = Z.
    public static let identity = Activation(name: "identity", function: Identity())
}
