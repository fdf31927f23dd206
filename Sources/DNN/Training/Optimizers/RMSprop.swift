/// RMSprop (Hinton's lecture, as the course's lecture writes it): s = β·s + (1 − β)·dW²,
/// W −= α·dW/(√s + ε), each entry scaled by the running mean of its own squared gradients.
/// State: s.
public struct RMSprop: OptimizerFunction {
    /// β, the decay of the mean square s, in [0, 1) (0.9 by default, Keras' ρ).
    public let beta: Double
    /// ε > 0, added to √s.
    public let epsilon: Double

    /// RMSprop with these settings; their ranges are checked by `validate()`, not here.
    public init(beta: Double, epsilon: Double) { (self.beta, self.epsilon) = (beta, epsilon) }
    /// One moment per entry: the mean square s.
    public var stateCount: Int { 1 }
    /// Two settings: `beta` and `epsilon`.
    public var settings: [(name: String, value: Double)] { [("beta", beta), ("epsilon", epsilon)] }
    /// Each entry is scaled by its own √s: the step leaves the span of the gradients.
    public var linearForm: LinearOptimizerForm? { nil }

    /// Throws, naming the setting, unless β is in [0, 1) and ε is positive and finite.
    public func validate() throws {
        guard (0..<1).contains(beta) else { throw DNNError("β \(beta): must be in [0, 1)") }
        guard epsilon > 0, epsilon.isFinite else { throw DNNError("ε \(epsilon): must be positive") }
    }

    /// s = β·s + (1 − β)·g², W −= α·g/(√s + ε) on `count` entries with s at `state`; `slotStride`
    /// and `step` are not read.
    public func update(
        _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: UnsafeMutablePointer<Double>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) { updateLoop(parameter, gradient, state, count, rate) }

    /// The same step in float32.
    public func update(
        _ parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, state: UnsafeMutablePointer<Float>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) { updateLoop(parameter, gradient, state, count, rate) }

    @inline(__always)
    func updateLoop<T: BinaryFloatingPoint>(
        _ parameter: UnsafeMutablePointer<T>, _ gradient: UnsafePointer<T>, _ s: UnsafeMutablePointer<T>, _ count: Int,
        _ rate: Double
    ) {
        let (b, oneMinusB, eps, alpha) = (T(beta), 1 - T(beta), T(epsilon), T(rate))
        for k in 0..<count {
            let g = gradient[k]
            let sk = b * s[k] + oneMinusB * (g * g)
            s[k] = sk
            // s is a sum of squares: |s| is s, and lets the square root vectorise (see Adam).
            parameter[k] = parameter[k] - alpha * g / (abs(sk).squareRoot() + eps)
        }
    }
}

extension Optimizer {
    /// s = β·s + (1 − β)·dW²; W −= α·dW/(√s + ε), with β in [0, 1) and ε > 0.
    public static func rmsprop(beta: Double, epsilon: Double) -> Optimizer {
        Optimizer(name: "rmsprop", function: RMSprop(beta: beta, epsilon: epsilon))
    }
}
