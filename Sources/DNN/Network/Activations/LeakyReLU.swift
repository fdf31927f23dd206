import RealModule

/// The leaky rectified linear unit: g(z) = z for z > 0, slope·z otherwise; g′ = 1 or slope,
/// read from the output as a > 0 (the same as z > 0 for a slope ≥ 0).
public struct LeakyReLU: ActivationFunction {
    public static let defaultSlope = 0.01
    public let slope: Double

    public init(slope: Double = LeakyReLU.defaultSlope) { self.slope = slope }

    public func validate() throws {
        guard slope >= 0, slope < 1 else { throw DNNError("leaky-relu slope \(slope): must be in [0, 1)") }
    }

    public var onnxOperator: ONNXOperator? { ONNXOperator(type: "LeakyRelu", attributes: [.float("alpha", slope)]) }
    @inlinable public func value<T: Real & BinaryFloatingPoint>(_ z: T) -> T { z > 0 || z.isNaN ? z : T(slope) * z }
    public var hasKinkAtZero: Bool { true }
    @inlinable public func derivative<T: Real & BinaryFloatingPoint>(output a: T) -> T { a > 0 ? 1 : T(slope) }
}

extension Activation {
    /// A = max(z, slope·z) with 0 ≤ slope < 1 (default 0.01).
    public static func leakyReLU(slope: Double = LeakyReLU.defaultSlope) -> Activation {
        Activation(name: "leaky-relu(\(slope))", function: LeakyReLU(slope: slope))
    }
}
