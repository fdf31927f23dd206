/// Batch normalisation of a hidden layer, after its linear part and before its activation (where
/// the course's lecture places it):
///
///     Z = W·A[l−1]                     (no bias: β takes its place, so b[l] stays 0)
///     μ = (1/m)·Σⱼ Z[:, j],  σ² = (1/m)·Σⱼ (Z[:, j] − μ)²      over the batch's m examples
///     Ẑ = (Z − μ) / √(σ² + ε),  Y = γ ⊙ Ẑ + β,  A[l] = g(Y)
///
/// γ and β (n[l]×1) are trained with W. Each training batch also moves the running averages
/// that prediction uses in place of the batch's statistics, in Keras's convention (PyTorch's
/// momentum 0.1 is this 0.9; Keras and this keep the biased σ², PyTorch the unbiased one):
///
///     running mean ← momentum·running mean + (1 − momentum)·μ   (the same for σ²)
///     prediction:  Ẑ = (Z − running mean) / √(running variance + ε)
///
/// The backward pass, from dY = ∂J/∂Y (sums and means over the batch's columns):
///
///     dγ = Σⱼ dY ⊙ Ẑ,  dβ = Σⱼ dY,  dZ = (γ / √(σ² + ε)) ⊙ (dY − meanⱼ(dY) − Ẑ ⊙ meanⱼ(dY ⊙ Ẑ))
public struct BatchNormalization: Sendable, Hashable, Codable {
    /// ε, added to σ² before the square root (1e-5, as Keras and PyTorch).
    public var epsilon: Double
    /// The running averages' weight on their old value (0.9: Keras's convention).
    public var momentum: Double

    /// Batch normalisation with ε `epsilon` and running averages of momentum `momentum`.
    public init(epsilon: Double = 1e-5, momentum: Double = 0.9) {
        self.epsilon = epsilon
        self.momentum = momentum
    }

    /// Throws unless ε > 0 and 0 ≤ momentum < 1, both finite.
    public func validate() throws {
        guard epsilon > 0, epsilon.isFinite else {
            throw DNNError("batch normalisation's epsilon \(epsilon) must be a positive number")
        }
        guard momentum >= 0, momentum < 1 else {
            throw DNNError("batch normalisation's momentum \(momentum) must be at least 0 and below 1")
        }
    }
}

/// A batch-normalised layer's trained numbers: γ and β, and the running averages of the batches'
/// mean and variance that prediction uses (all n[l]×1).
public struct NormalizationParameters: Equatable, Sendable {
    /// γ, the scale of Ẑ.
    public var gamma: Matrix
    /// β, the shift of γ ⊙ Ẑ (it replaces the bias b).
    public var beta: Matrix
    /// The running average of the batches' μ.
    public var runningMean: Matrix
    /// The running average of the batches' σ² (biased, over each batch's m).
    public var runningVariance: Matrix

    /// γ, β and the running averages as given; shapes are not checked.
    public init(gamma: Matrix, beta: Matrix, runningMean: Matrix, runningVariance: Matrix) {
        self.gamma = gamma
        self.beta = beta
        self.runningMean = runningMean
        self.runningVariance = runningVariance
    }

    /// The start of training, for `units` units: γ = 1, β = 0, running mean 0 and variance 1.
    public init(units: Int) {
        self.init(
            gamma: Matrix(rows: units, cols: 1, scalars: Array(repeating: 1, count: units)),
            beta: .zeros(units, 1), runningMean: .zeros(units, 1),
            runningVariance: Matrix(rows: units, cols: 1, scalars: Array(repeating: 1, count: units)))
    }

    /// γ, β, the running mean and the running variance, in that order.
    var columns: [Matrix] { [gamma, beta, runningMean, runningVariance] }

    /// Throws, naming layer `layer`, unless every part has `units` entries, all finite, and the
    /// running variance is 0 or more.
    func validate(units: Int, layer: Int) throws {
        for (name, part) in [
            ("gamma", gamma), ("beta", beta), ("runningMean", runningMean), ("runningVariance", runningVariance),
        ] {
            guard part.rows == units, part.cols == 1 else {
                throw DNNError(
                    "layer \(layer)'s batch normalisation: \(name) has \(part.rows * part.cols) values for \(units) units"
                )
            }
            guard part.scalars.allSatisfy(\.isFinite) else {
                throw DNNError("layer \(layer)'s batch normalisation: \(name) holds a value that is not finite")
            }
        }
        if let k = runningVariance.scalars.firstIndex(where: { $0 < 0 }) {
            throw DNNError(
                "layer \(layer)'s batch normalisation: runningVariance[\(k)] is \(runningVariance.scalars[k]); a variance is 0 or more"
            )
        }
    }
}

extension Parameters {
    /// These parameters with γ = 1, β = 0 and running averages 0 and 1 on each of `network`'s
    /// batch-normalised layers that has none yet.
    public func startingNormalization(of network: Network) -> Parameters {
        var result = self
        for (index, layer) in network.hidden.enumerated() where layer.batchNorm != nil {
            if result.layers[index].normalization == nil {
                result.layers[index].normalization = NormalizationParameters(units: layer.units)
            }
        }
        return result
    }

    /// Throws unless exactly `network`'s batch-normalised layers hold γ, β and running averages
    /// (of their units, finite, variances 0 or more) and their b is 0.
    func requireNormalization(of network: Network) throws {
        for (index, layer) in layers.enumerated() {
            let normalized = index < network.hidden.count && network.hidden[index].batchNorm != nil
            guard let numbers = layer.normalization else {
                if normalized { throw DNNError("layer \(index + 1) is batch-normalised but has no gamma and beta") }
                continue
            }
            guard normalized else {
                throw DNNError(
                    index == network.hidden.count
                        ? "the output layer cannot be batch-normalised (its loss reads Z[L] itself)"
                        : "layer \(index + 1) has batch normalisation's numbers but is not batch-normalised")
            }
            try numbers.validate(units: layer.W.rows, layer: index + 1)
            guard layer.b.scalars.allSatisfy({ $0 == 0 }) else {
                throw DNNError("layer \(index + 1) is batch-normalised: its b must be 0 (beta takes its place)")
            }
        }
    }
}
