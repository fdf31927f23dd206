/// Gradient descent: W −= α·dW. No state.
public struct GradientDescent: OptimizerFunction {
    public init() {}
    public var stateCount: Int { 0 }
    public var settings: [(name: String, value: Double)] { [] }
    public var linearForm: LinearOptimizerForm? { .plain }

    // BLAS axpy: W ← (−α)·dW + W.
    public func update(
        _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: UnsafeMutablePointer<Double>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) {
        Double.axpy(count: count, alpha: -rate, x: gradient, y: parameter)
    }

    public func update(
        _ parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, state: UnsafeMutablePointer<Float>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) {
        Float.axpy(count: count, alpha: -Float(rate), x: gradient, y: parameter)
    }
}

extension Optimizer {
    /// W −= α·dW.
    public static let gradientDescent = Optimizer(name: "gd", function: GradientDescent())
}
