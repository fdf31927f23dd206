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

    /// The trained parameters by name, with their gradients: W1, b1, W2, …, with γ and β for b
    /// on a batch-normalised layer (whose b is not used).
    var trainedParameters:
        [(name: String, value: UnsafeMutableBufferPointer<Scalar>, gradient: UnsafeMutableBufferPointer<Scalar>)]
    {
        let normalization = workspace.normalization
        return (0..<layerCount).flatMap { index in
            let l = index + 1
            let weights = [("W\(l)", workspace.W[index], workspace.dW[index])]
            guard normalization.isNormalized(index) else {
                return weights + [("b\(l)", workspace.b[index], workspace.db[index])]
            }
            return weights + [
                ("gamma\(l)", normalization.gamma[index], normalization.dGamma[index]),
                ("beta\(l)", normalization.beta[index], normalization.dBeta[index]),
            ]
        }
    }

    /// Backprop's gradients of `fullCost` for every parameter of `trainedParameters`, in its
    /// order, without changing the parameters.
    func gradients() -> [[Double]] {
        _ = execution.lossAndGradients(fullBatch)
        return trainedParameters.map { $0.gradient.map { Double($0) } }
    }

    /// The number of entries of parameter `which` (of `trainedParameters`).
    func parameterCount(_ which: Int) -> Int { trainedParameters[which].value.count }

    /// The name of parameter `which` (of `trainedParameters`).
    func parameterName(_ which: Int) -> String { trainedParameters[which].name }

    /// `fullCost` with entry `entry` of parameter `which` moved by `delta`, then put back.
    func cost(moving which: Int, entry: Int, by delta: Double) -> Double {
        let buffer = trainedParameters[which].value
        let saved = buffer[entry]
        buffer[entry] = saved + Scalar(delta)
        defer { buffer[entry] = saved }
        return fullCost()
    }
}
