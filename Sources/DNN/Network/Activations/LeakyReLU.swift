import RealModule

/// The leaky rectified linear unit: g(z) = z for z > 0, slope·z otherwise; g′ = 1 or slope,
/// read from the output as a > 0 (the same as z > 0 for a slope ≥ 0).
public struct LeakyReLU: ActivationFunction {
    /// The slope for z ≤ 0 when none is given: 0.01.
    public static let defaultSlope = 0.01
    /// The slope for z ≤ 0, in [0, 1) (checked by `validate()`).
    public let slope: Double

    /// A leaky relu of `slope` (0.01 by default); the range is checked by `validate()`, not here.
    public init(slope: Double = LeakyReLU.defaultSlope) { self.slope = slope }

    /// Throws, naming the slope, unless 0 ≤ slope < 1.
    public func validate() throws {
        guard slope >= 0, slope < 1 else { throw DNNError("leaky-relu slope \(slope): must be in [0, 1)") }
    }

    /// ONNX's "LeakyRelu" with `alpha` = slope.
    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "LeakyRelu", attributes: [.float("alpha", slope)]) }
    /// g(z) = z for z > 0 (and NaN), slope·z otherwise.
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { z > 0 || z.isNaN ? z : T(slope) * z }
    /// True: g′ jumps from slope to 1 at z = 0.
    public var hasKinkAtZero: Bool { true }
    /// g′ = 1 where a > 0, slope otherwise.
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { a > 0 ? 1 : T(slope) }
}

extension Activation {
    /// A = max(z, slope·z) with 0 ≤ slope < 1 (default 0.01).
    public static func leakyReLU(slope: Double = LeakyReLU.defaultSlope) -> Activation {
        Activation(name: "leaky-relu(\(slope))", function: LeakyReLU(slope: slope))
    }
}
