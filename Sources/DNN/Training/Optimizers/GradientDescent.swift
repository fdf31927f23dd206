/// Gradient descent: W −= α·dW. No state.
public struct GradientDescent: OptimizerFunction {
    /// Gradient descent; it has no settings.
    public init() {}
    /// None: the step keeps no state.
    public var stateCount: Int { 0 }
    /// None: the step takes only the learning rate.
    public var settings: [(name: String, value: Double)] { [] }
    /// `plain`: W −= α·g stays in the span of the gradients.
    public var linearForm: LinearOptimizerForm? { .plain }

    // BLAS axpy: W ← (−α)·dW + W.
    /// W −= α·dW on `count` entries; `state`, `slotStride` and `step` are not read.
    public func update(
        _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: UnsafeMutablePointer<Double>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) {
        Double.axpy(count: count, alpha: -rate, x: gradient, y: parameter)
    }

    /// The same step in float32 (α rounded to Float).
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
