/// Gradient descent with momentum: v = β·v + (1 − β)·dW, W −= α·v. State: v.
public struct Momentum: OptimizerFunction {
    /// β, the decay of the velocity v, in [0, 1).
    public let beta: Double

    /// Momentum of `beta`; its range is checked by `validate()`, not here.
    public init(beta: Double) { self.beta = beta }
    /// One moment per entry: the velocity v.
    public var stateCount: Int { 1 }
    /// One setting: `beta`.
    public var settings: [(name: String, value: Double)] { [("beta", beta)] }
    /// `heavyBall(β)`: v and W stay in the span of the gradients.
    public var linearForm: LinearOptimizerForm? { .heavyBall(beta: beta) }

    /// Throws, naming β, unless it is in [0, 1).
    public func validate() throws {
        guard (0..<1).contains(beta) else { throw DNNError("β \(beta): must be in [0, 1)") }
    }

    /// v = β·v + (1 − β)·dW, then W −= α·v, on `count` entries with v at `state`; `slotStride` and `step` are
    /// not read.
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
        _ parameter: UnsafeMutablePointer<T>, _ gradient: UnsafePointer<T>, _ v: UnsafeMutablePointer<T>, _ count: Int,
        _ rate: Double
    ) {
        let (beta, alpha) = (T(self.beta), T(rate))
        for k in 0..<count {
            v[k] = beta * v[k] + (1 - beta) * gradient[k]
            parameter[k] = parameter[k] - alpha * v[k]
        }
    }
}

extension Optimizer {
    /// v = β·v + (1 − β)·dW; W −= α·v, with β in [0, 1).
    public static func momentum(beta: Double) -> Optimizer {
        Optimizer(name: "momentum", function: Momentum(beta: beta))
    }
}
