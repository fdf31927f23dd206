import RealModule

/// The rectified linear unit: g(z) = max(0, z) (NaN stays NaN); g′ = 1 where z > 0, else 0
/// (0 at z = 0 exactly, as the course's `relu_backward`), read from the output as a > 0.
public struct ReLU: ActivationFunction {
    /// The relu; it has no parameters.
    public init() {}
    /// ONNX's "Relu".
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "Relu") }
    // `z <= 0 ? 0 : z` keeps NaN (the comparison is false) and is one compare and select, which
    // the compiler vectorises (a test of isNaN would add a branch per element). The zero is a
    // named constant: with two literals the optimiser builds a branch instead of a select.
    /// g(z) = max(0, z); NaN stays NaN.
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T {
        let zero: T = 0
        return z <= zero ? zero : z
    }
    /// True: g′ jumps from 0 to 1 at z = 0.
    public var hasKinkAtZero: Bool { true }
    /// g′ = 1 where a > 0, else 0.
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { a > 0 ? 1 : 0 }
    /// da where a > 0, else exactly 0: one select.
    @inlinable public func gradient<T: Real & BinaryFloatingPoint>(_ da: T, output a: T) -> T {
        let zero: T = 0
        return a > zero ? da : zero
    }
}

extension Activation {
    /// A = max(0, Z): the course's hidden layers.
    public static let relu = Activation(name: "relu", function: ReLU())
}
