import Foundation

/// Adam (Kingma and Ba, 2015), as the course writes it: v = β1·v + (1 − β1)·dW,
/// s = β2·s + (1 − β2)·dW², v̂ = v/(1 − β1ᵗ), ŝ = s/(1 − β2ᵗ), W −= α·v̂/(√ŝ + ε), with t counting
/// steps (mini-batches) from 1 and ε added after the square root. State: v, then s.
public struct Adam: OptimizerFunction {
    /// β1, the decay of the first moment v, in [0, 1).
    public let beta1: Double
    /// β2, the decay of the second moment s, in [0, 1).
    public let beta2: Double
    /// ε > 0, added to √ŝ.
    public let epsilon: Double

    /// Adam with these settings; their ranges are checked by `validate()`, not here.
    public init(beta1: Double, beta2: Double, epsilon: Double) {
        (self.beta1, self.beta2, self.epsilon) = (beta1, beta2, epsilon)
    }

    /// Two moments per entry: v, then s.
    public var stateCount: Int { 2 }
    /// Three settings: `beta1`, `beta2` and `epsilon`.
    public var settings: [(name: String, value: Double)] { [("beta1", beta1), ("beta2", beta2), ("epsilon", epsilon)] }
    /// Each entry is scaled by its own √ŝ: the step leaves the span of the gradients.
    public var linearForm: LinearOptimizerForm? { nil }

    /// Throws, naming the setting, unless β1 and β2 are in [0, 1) and ε is positive and finite.
    public func validate() throws {
        guard (0..<1).contains(beta1) else { throw DNNError("β1 \(beta1): must be in [0, 1)") }
        guard (0..<1).contains(beta2) else { throw DNNError("β2 \(beta2): must be in [0, 1)") }
        guard epsilon > 0, epsilon.isFinite else { throw DNNError("ε \(epsilon): must be positive") }
    }

    /// v = β1·v + (1 − β1)·g, s = β2·s + (1 − β2)·g², W −= α·v̂/(√ŝ + ε) with v̂ = v/(1 − β1ᵗ),
    /// ŝ = s/(1 − β2ᵗ), t = `step`; v at `state`, s at `state + slotStride`.
    public func update(
        _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>, state: UnsafeMutablePointer<Double>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) { updateLoop(parameter, gradient, state, count, slotStride, rate, step) }

    /// The same step in float32.
    public func update(
        _ parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, state: UnsafeMutablePointer<Float>,
        count: Int, slotStride: Int, rate: Double, step: Int
    ) { updateLoop(parameter, gradient, state, count, slotStride, rate, step) }

    @inline(__always)
    func updateLoop<T: BinaryFloatingPoint>(
        _ parameter: UnsafeMutablePointer<T>, _ gradient: UnsafePointer<T>, _ state: UnsafeMutablePointer<T>,
        _ count: Int, _ slotStride: Int, _ rate: Double, _ step: Int
    ) {
        let (b1, b2, eps, alpha) = (T(beta1), T(beta2), T(epsilon), T(rate))
        let correction1 = T(1 - pow(beta1, Double(step)))
        let correction2 = T(1 - pow(beta2, Double(step)))
        let v = state, s = state + slotStride
        let (oneMinusB1, oneMinusB2) = (1 - b1, 1 - b2)
        // Each value loaded once into a local: the same arithmetic in the same order, in a form
        // the compiler vectorises (with indexed reloads it must assume the buffers overlap).
        for k in 0..<count {
            let g = gradient[k]
            let vk = b1 * v[k] + oneMinusB1 * g
            let sk = b2 * s[k] + oneMinusB2 * (g * g)
            v[k] = vk
            s[k] = sk
            let vCorrected = vk / correction1, sCorrected = sk / correction2
            // `squareRoot()` falls back to C's sqrt (which may set errno) for a negative input, and
            // a call that may write errno keeps the loop scalar. ŝ is a sum of squares, never
            // negative, so |ŝ| is ŝ bit for bit (−0 becomes +0, whose root adds to ε the same);
            // told so, the compiler drops the fallback and uses the vector square root.
            parameter[k] = parameter[k] - alpha * vCorrected / (abs(sCorrected).squareRoot() + eps)
        }
    }
}

extension Optimizer {
    /// Adam with β1, β2 in [0, 1) and ε > 0.
    public static func adam(beta1: Double, beta2: Double, epsilon: Double) -> Optimizer {
        Optimizer(name: "adam", function: Adam(beta1: beta1, beta2: beta2, epsilon: epsilon))
    }
}
