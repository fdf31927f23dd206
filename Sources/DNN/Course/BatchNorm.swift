// Batch normalisation, step by step, as the course's second part teaches it: the readable
// reference the engine's kernels (`BatchNormLayers`) are held to. See `BatchNormalization` for
// where it sits in a layer and for the running averages.

/// What `batchNormBackward` needs from the forward pass: Ẑ, γ and 1/√(σ² + ε); and the batch's
/// μ and σ², for the running averages.
public struct BatchNormCache: Equatable, Sendable {
    /// Ẑ = (Z − μ)/√(σ² + ε) (n×m).
    public var normalized: Matrix
    /// γ (n×1).
    public var gamma: Matrix
    /// 1/√(σ² + ε) per unit (n×1).
    public var inverseDeviation: Matrix
    /// The batch's μ and σ² (n×1 each).
    public var mean, variance: Matrix
}

/// Batch normalisation in training form over the m columns of Z (n×m):
/// μ = meanⱼ Z, σ² = meanⱼ (Z − μ)², Ẑ = (Z − μ)/√(σ² + ε), Y = γ ⊙ Ẑ + β (γ and β n×1).
/// Returns Y (n×m) and the cache (which holds the batch's μ and σ², n×1, for the running averages).
public func batchNormForward(
    _ Z: Matrix, gamma: Matrix, beta: Matrix, epsilon: Double = 1e-5
) -> (Y: Matrix, cache: BatchNormCache) {
    requireValid(
        gamma.rows == Z.rows && gamma.cols == 1 && beta.rows == Z.rows && beta.cols == 1,
        "batchNormForward: gamma \(gamma.shapeDescription) and beta \(beta.shapeDescription) must be (\(Z.rows),1)")
    requireValid(Z.cols >= 1, "batchNormForward: Z has no columns")
    let (n, m) = (Z.rows, Z.cols)
    var mean = Matrix.zeros(n, 1), variance = Matrix.zeros(n, 1), inverse = Matrix.zeros(n, 1)
    var normalized = Matrix.zeros(n, m), Y = Matrix.zeros(n, m)
    for i in 0..<n {
        var sum = 0.0
        for j in 0..<m { sum += Z[i, j] }
        let mu = sum / Double(m)
        // Two passes: the squares of Z − μ, not E[Z²] − μ², which cancels when |μ| ≫ σ.
        var squares = 0.0
        for j in 0..<m { squares += (Z[i, j] - mu) * (Z[i, j] - mu) }
        let sigma2 = squares / Double(m)
        let r = 1 / (sigma2 + epsilon).squareRoot()
        (mean[i, 0], variance[i, 0], inverse[i, 0]) = (mu, sigma2, r)
        for j in 0..<m {
            normalized[i, j] = (Z[i, j] - mu) * r
            Y[i, j] = gamma[i, 0] * normalized[i, j] + beta[i, 0]
        }
    }
    return (
        Y,
        BatchNormCache(
            normalized: normalized, gamma: gamma, inverseDeviation: inverse, mean: mean, variance: variance)
    )
}

/// Batch normalisation in prediction form: Y = γ ⊙ (Z − running mean)/√(running variance + ε) + β.
public func batchNormInference(
    _ Z: Matrix, _ numbers: NormalizationParameters, epsilon: Double = 1e-5
) -> Matrix {
    var Y = Z
    for i in 0..<Z.rows {
        let r = 1 / (numbers.runningVariance[i, 0] + epsilon).squareRoot()
        for j in 0..<Z.cols {
            Y[i, j] = numbers.gamma[i, 0] * ((Z[i, j] - numbers.runningMean[i, 0]) * r) + numbers.beta[i, 0]
        }
    }
    return Y
}

/// The backward pass of `batchNormForward`, from dY (n×m): dγ = Σⱼ dY ⊙ Ẑ, dβ = Σⱼ dY, and
/// dZ = (γ/√(σ² + ε)) ⊙ (dY − meanⱼ dY − Ẑ ⊙ meanⱼ(dY ⊙ Ẑ)) (n×m). μ and σ² depend on every
/// column, hence the two means: dZ of one example depends on the whole batch.
public func batchNormBackward(
    _ dY: Matrix, _ cache: BatchNormCache
) -> (dZ: Matrix, dGamma: Matrix, dBeta: Matrix) {
    let (n, m) = (dY.rows, dY.cols)
    requireValid(
        cache.normalized.rows == n && cache.normalized.cols == m,
        "batchNormBackward: dY \(dY.shapeDescription) does not fit the cache's \(cache.normalized.shapeDescription)")
    var dZ = Matrix.zeros(n, m), dGamma = Matrix.zeros(n, 1), dBeta = Matrix.zeros(n, 1)
    for i in 0..<n {
        var sum = 0.0, weighted = 0.0
        for j in 0..<m {
            sum += dY[i, j]
            weighted += dY[i, j] * cache.normalized[i, j]
        }
        (dGamma[i, 0], dBeta[i, 0]) = (weighted, sum)
        let scale = cache.gamma[i, 0] * cache.inverseDeviation[i, 0]
        for j in 0..<m {
            dZ[i, j] = scale * (dY[i, j] - sum / Double(m) - cache.normalized[i, j] * (weighted / Double(m)))
        }
    }
    return (dZ, dGamma, dBeta)
}

/// After a training batch: each batch-normalised layer's running averages moved towards the
/// batch's μ and σ² its cache holds, running ← momentum·running + (1 − momentum)·batch.
public func updateRunningAverages(
    _ parameters: Parameters, _ caches: [LayerCache], momentum: Double = 0.9
) -> Parameters {
    var result = parameters
    for (index, cache) in caches.enumerated() {
        guard let batch = cache.normalization, var numbers = result.layers[index].normalization else { continue }
        numbers.runningMean = momentum * numbers.runningMean + (1 - momentum) * batch.mean
        numbers.runningVariance = momentum * numbers.runningVariance + (1 - momentum) * batch.variance
        result.layers[index].normalization = numbers
    }
    return result
}
