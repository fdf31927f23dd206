import Foundation

// What the gradient check needs from the engine: the full-batch cost, backprop's gradients without
// an update, and the cost with one parameter entry moved.

extension TrainingEngine {

    /// The cost of the current parameters on all examples, with the L2 penalty.
    func fullCost() -> Double {
        loop.dropout.draw(examples: m)
        let loss = loop.forward(fullBatch, part: 0..<m)
        return loss / Double(m) + (options.l2 > 0 ? l2Penalty() : 0)
    }

    /// Backprop's gradients of `fullCost` for every parameter, in the order W1, b1, W2, …, without
    /// changing the parameters.
    func gradients() -> [[Double]] {
        _ = execution.lossAndGradients(fullBatch)
        return (0..<layerCount).flatMap { [workspace.dW[$0].map { Double($0) }, workspace.db[$0].map { Double($0) }] }
    }

    /// The number of entries of parameter `which` (W1, b1, W2, … in order).
    func parameterCount(_ which: Int) -> Int { (which % 2 == 0 ? workspace.W : workspace.b)[which / 2].count }

    /// `fullCost` with entry `entry` of parameter `which` moved by `delta`, then put back.
    func cost(moving which: Int, entry: Int, by delta: Double) -> Double {
        let buffer = (which % 2 == 0 ? workspace.W : workspace.b)[which / 2]
        let saved = buffer[entry]
        buffer[entry] = saved + Scalar(delta)
        defer { buffer[entry] = saved }
        return fullCost()
    }
}
