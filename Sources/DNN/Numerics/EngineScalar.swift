import RealModule

/// A floating-point type the training engine can run in: `Float` (float32) or `Double` (float64).
///
/// One generic algorithm serves both. The activations, heads and optimisers have one kernel per
/// precision (so that each is compiled for its type); these static methods pick the one for
/// `Self`, so the generic engine can call them.
protocol EngineScalar: BLASScalar, Real {
    static func activate(
        _ function: any ActivationFunction, _ values: UnsafeMutablePointer<Self>, bias: UnsafePointer<Self>, rows: Int,
        cols: Int, stride: Int)
    static func backpropagate(
        _ function: any ActivationFunction, _ gradient: UnsafeMutablePointer<Self>, output: UnsafePointer<Self>,
        scale: Self, rows: Int, cols: Int, stride: Int)
    static func activate(
        _ head: any LossFunction, _ values: UnsafeMutablePointer<Self>, bias: UnsafePointer<Self>, units: Int,
        cols: Int, stride: Int)
    static func lossAndGradient(
        _ head: any LossFunction, _ values: UnsafeMutablePointer<Self>, bias: UnsafePointer<Self>, units: Int,
        cols: Int, stride: Int, targets: UnsafePointer<Self>, targetStride: Int, weights: UnsafePointer<Self>?,
        gradient: UnsafeMutablePointer<Self>
    ) -> Double
    static func update(
        _ optimizer: any OptimizerFunction, _ parameter: UnsafeMutablePointer<Self>, gradient: UnsafePointer<Self>,
        state: UnsafeMutablePointer<Self>, count: Int, slotStride: Int, rate: Double, step: Int)
}

extension Double: EngineScalar {
    static func activate(
        _ function: any ActivationFunction, _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>,
        rows: Int, cols: Int, stride: Int
    ) { function.activate(values, bias: bias, rows: rows, cols: cols, stride: stride) }

    static func backpropagate(
        _ function: any ActivationFunction, _ gradient: UnsafeMutablePointer<Double>, output: UnsafePointer<Double>,
        scale: Double, rows: Int, cols: Int, stride: Int
    ) { function.backpropagate(gradient, output: output, scale: scale, rows: rows, cols: cols, stride: stride) }

    static func activate(
        _ head: any LossFunction, _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int,
        cols: Int, stride: Int
    ) { head.activate(values, bias: bias, units: units, cols: cols, stride: stride) }

    static func lossAndGradient(
        _ head: any LossFunction, _ values: UnsafeMutablePointer<Double>, bias: UnsafePointer<Double>, units: Int,
        cols: Int, stride: Int, targets: UnsafePointer<Double>, targetStride: Int, weights: UnsafePointer<Double>?,
        gradient: UnsafeMutablePointer<Double>
    ) -> Double {
        head.lossAndGradient(
            values, bias: bias, units: units, cols: cols, stride: stride, targets: targets, targetStride: targetStride,
            weights: weights, gradient: gradient)
    }

    static func update(
        _ optimizer: any OptimizerFunction, _ parameter: UnsafeMutablePointer<Double>, gradient: UnsafePointer<Double>,
        state: UnsafeMutablePointer<Double>, count: Int, slotStride: Int, rate: Double, step: Int
    ) {
        optimizer.update(
            parameter, gradient: gradient, state: state, count: count, slotStride: slotStride, rate: rate, step: step)
    }
}

extension Float: EngineScalar {
    static func activate(
        _ function: any ActivationFunction, _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
        rows: Int, cols: Int, stride: Int
    ) { function.activate(values, bias: bias, rows: rows, cols: cols, stride: stride) }

    static func backpropagate(
        _ function: any ActivationFunction, _ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>,
        scale: Float, rows: Int, cols: Int, stride: Int
    ) { function.backpropagate(gradient, output: output, scale: scale, rows: rows, cols: cols, stride: stride) }

    static func activate(
        _ head: any LossFunction, _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int,
        cols: Int, stride: Int
    ) { head.activate(values, bias: bias, units: units, cols: cols, stride: stride) }

    static func lossAndGradient(
        _ head: any LossFunction, _ values: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, units: Int,
        cols: Int, stride: Int, targets: UnsafePointer<Float>, targetStride: Int, weights: UnsafePointer<Float>?,
        gradient: UnsafeMutablePointer<Float>
    ) -> Double {
        head.lossAndGradient(
            values, bias: bias, units: units, cols: cols, stride: stride, targets: targets, targetStride: targetStride,
            weights: weights, gradient: gradient)
    }

    static func update(
        _ optimizer: any OptimizerFunction, _ parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
        state: UnsafeMutablePointer<Float>, count: Int, slotStride: Int, rate: Double, step: Int
    ) {
        optimizer.update(
            parameter, gradient: gradient, state: state, count: count, slotStride: slotStride, rate: rate, step: step)
    }
}
