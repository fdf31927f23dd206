/// Gradient descent with momentum: v = β·v + (1 − β)·dW, W −= α·v. State: v.
public struct Momentum: OptimizerFunction {
    public let beta: Double

    public init(beta: Double) { self.beta = beta }
    public var stateCount: Int { 1 }
    public var settings: [(name: String, value: Double)] { [("beta", beta)] }
    public var linearForm: LinearOptimizerForm? { .heavyBall(beta: beta) }

    public func validate() throws {
        guard (0..<1).contains(beta) else { throw DNNError("β \(beta): must be in [0, 1)") }
    }

    public func update(
        _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: UnsafeMutablePointer<Double>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) { updateLoop(parameter, gradient, state, count, rate) }

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
