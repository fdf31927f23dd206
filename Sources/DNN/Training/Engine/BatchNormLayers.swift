/// The engine's batch normalisation (`BatchNormalization` states the formulas): for each
/// batch-normalised hidden layer (index l − 1), γ, β, their gradients and the running averages in
/// the engine's precision, Ẑ of the batch (n[l]×capacity, laid out as A[l]), and the batch's μ and
/// σ²; for each part of a split batch, its sums. Plain layers hold empty buffers.
///
/// The statistics are sums over the batch's columns. When a batch is split (between threads or
/// processes) each part sums its own columns and `reduction` joins them, so that every part
/// normalises with the whole batch's μ and σ²: three joins per layer and batch (Σ Z, Σ (Z − μ)²,
/// and the backward pass's Σ dY with Σ dY ⊙ Ẑ). Sums are kept in Double in both precisions.
final class BatchNormLayers<Scalar: EngineScalar> {
    /// Per layer index: the layer's settings, nil for a plain layer (and the output layer).
    let settings: [BatchNormalization?]
    let gamma, beta, dGamma, dBeta, runningMean, runningVariance: [UnsafeMutableBufferPointer<Scalar>]
    /// Ẑ of the batch's columns, row stride the batch's width (as A).
    let normalized: [UnsafeMutableBufferPointer<Scalar>]
    /// The batch's μ and σ² (written by part 0), for the running averages.
    let batchMean, batchVariance: [UnsafeMutableBufferPointer<Double>]
    /// Per part, per layer: [Σ | Σ of squares | μ | 1/√(σ² + ε)], 4·n[l] values.
    private var scratch: [[UnsafeMutableBufferPointer<Double>]]
    /// A bias of zeros for the activation of a normalised layer (β has been added).
    let zeros: UnsafeMutableBufferPointer<Scalar>
    /// How the parts' sums are joined; the execution that splits batches installs its own.
    var reduction: any StatisticsReduction = WholeBatchStatistics()

    /// From the layers' numbers in `parameters` (a layer has them when it is batch-normalised),
    /// with `settings` per hidden layer, for batches of up to `capacity` examples.
    init(parameters: Parameters, settings hidden: [BatchNormalization?], capacity: Int) {
        let layers = parameters.layers
        settings = layers.indices.map { $0 < hidden.count ? hidden[$0] : nil }
        func each<T>(_ make: (NormalizationParameters, Int) -> UnsafeMutableBufferPointer<T>)
            -> [UnsafeMutableBufferPointer<T>]
        {
            layers.map { layer in layer.normalization.map { make($0, layer.W.rows) } ?? .allocate(capacity: 0) }
        }
        gamma = each { numbers, _ in .allocate(copying: numbers.gamma.scalars) }
        beta = each { numbers, _ in .allocate(copying: numbers.beta.scalars) }
        runningMean = each { numbers, _ in .allocate(copying: numbers.runningMean.scalars) }
        runningVariance = each { numbers, _ in .allocate(copying: numbers.runningVariance.scalars) }
        dGamma = each { _, n in .allocateZeroed(n) }
        dBeta = each { _, n in .allocateZeroed(n) }
        normalized = each { _, n in .allocateZeroed(n * capacity) }
        batchMean = each { _, n in .allocateZeroed(n) }
        batchVariance = each { _, n in .allocateZeroed(n) }
        zeros = .allocateZeroed(layers.map { $0.W.rows }.max() ?? 0)
        scratch = [Self.sums(for: gamma)]
        for index in layers.indices where (layers[index].normalization != nil) != (settings[index] != nil) {
            preconditionFailure("BatchNormLayers: layer \(index + 1)'s numbers do not fit its settings")
        }
    }

    deinit {
        for buffer in gamma + beta + dGamma + dBeta + runningMean + runningVariance + normalized + [zeros] {
            buffer.deallocate()
        }
        for buffer in batchMean + batchVariance + scratch.joined() { buffer.deallocate() }
    }

    /// Whether any layer is batch-normalised.
    var isEmpty: Bool { !settings.contains { $0 != nil } }

    /// Whether layer index `index` is batch-normalised.
    func isNormalized(_ index: Int) -> Bool { settings[index] != nil }

    /// The most values one join sums (the backward pass's 2·n[l]).
    var largestSum: Int { 2 * (gamma.map(\.count).max() ?? 0) }

    /// Sums for `parts` parts of a split batch.
    func prepare(parts: Int) {
        while scratch.count < parts { scratch.append(Self.sums(for: gamma)) }
    }

    /// One part's sums: 4·n[l] per layer of `gamma`'s sizes.
    private static func sums(for gamma: [UnsafeMutableBufferPointer<Scalar>]) -> [UnsafeMutableBufferPointer<Double>] {
        gamma.map { .allocateZeroed(4 * $0.count) }
    }

    /// Layer index `index`'s numbers, widened to Double, or nil for a plain layer.
    func parameters(_ index: Int) -> NormalizationParameters? {
        guard isNormalized(index) else { return nil }
        func column(_ buffer: UnsafeMutableBufferPointer<Scalar>) -> Matrix {
            Matrix(rows: buffer.count, cols: 1, scalars: buffer.map { Double($0) })
        }
        return NormalizationParameters(
            gamma: column(gamma[index]), beta: column(beta[index]), runningMean: column(runningMean[index]),
            runningVariance: column(runningVariance[index]))
    }

    /// Y = γ ⊙ Ẑ + β in place on Z (rows×cols, row stride `stride`, starting at the batch's column
    /// `column`): in training with the batch's μ and σ² over its `examples` examples (joined over
    /// the parts; this is part `part`), keeping Ẑ for the backward pass; otherwise with the
    /// running averages.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func forward(
        _ index: Int, _ values: UnsafeMutablePointer<Scalar>, rows: Int, cols: Int, stride: Int, column: Int,
        part: Int, examples: Int, training: Bool
    ) {
        let epsilon = settings[index]!.epsilon, g = gamma[index], b = beta[index]
        guard training else {
            for i in 0..<rows {
                let row = values + i * stride, mean = Double(runningMean[index][i])
                let inverse = 1 / (Double(runningVariance[index][i]) + epsilon).squareRoot()
                let (scale, shift) = (Double(g[i]), Double(b[i]))
                for j in 0..<cols { row[j] = Scalar(scale * ((Double(row[j]) - mean) * inverse) + shift) }
            }
            return
        }
        let sums = scratch[part][index].baseAddress!, count = Double(examples)
        for i in 0..<rows {
            let row = values + i * stride
            var sum = 0.0
            for j in 0..<cols { sum += Double(row[j]) }
            sums[i] = sum
        }
        reduction.sum(sums, count: rows, part: part)
        // Two passes: the squares of Z − μ, not E[Z²] − μ², which cancels when |μ| ≫ σ.
        for i in 0..<rows {
            let row = values + i * stride, mean = sums[i] / count
            sums[2 * rows + i] = mean
            var squares = 0.0
            for j in 0..<cols {
                let d = Double(row[j]) - mean
                squares += d * d
            }
            sums[rows + i] = squares
        }
        reduction.sum(sums + rows, count: rows, part: part)
        for i in 0..<rows {
            let mean = sums[2 * rows + i], variance = sums[rows + i] / count
            let inverse = 1 / (variance + epsilon).squareRoot()
            sums[3 * rows + i] = inverse
            if part == 0 { (batchMean[index][i], batchVariance[index][i]) = (mean, variance) }
            let row = values + i * stride, kept = normalized[index].baseAddress! + i * stride + column
            let (scale, shift) = (g[i], b[i])
            for j in 0..<cols {
                let x = Scalar((Double(row[j]) - mean) * inverse)
                kept[j] = x
                row[j] = scale * x + shift
            }
        }
    }

    /// The backward pass in place on `gradient` (dY in, dZ out; as `forward`'s layout), after
    /// `forward` in training: dγ and dβ (scaled by `scale`, 1/m of the mean loss) from the sums
    /// over every part, written by part 0; dZ from the batch's `examples` examples.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backward(
        _ index: Int, _ gradient: UnsafeMutablePointer<Scalar>, rows: Int, cols: Int, stride: Int, column: Int,
        part: Int, examples: Int, scale: Double
    ) {
        let sums = scratch[part][index].baseAddress!, count = Double(examples)
        for i in 0..<rows {
            let row = gradient + i * stride, kept = normalized[index].baseAddress! + i * stride + column
            var sum = 0.0, weighted = 0.0
            for j in 0..<cols {
                sum += Double(row[j])
                weighted += Double(row[j]) * Double(kept[j])
            }
            (sums[i], sums[rows + i]) = (sum, weighted)
        }
        reduction.sum(sums, count: 2 * rows, part: part)
        for i in 0..<rows {
            let (sum, weighted) = (sums[i], sums[rows + i])
            if part == 0 { (dBeta[index][i], dGamma[index][i]) = (Scalar(scale * sum), Scalar(scale * weighted)) }
            let factor = Scalar(Double(gamma[index][i]) * sums[3 * rows + i])
            let (meanGradient, meanWeighted) = (Scalar(sum / count), Scalar(weighted / count))
            let row = gradient + i * stride, kept = normalized[index].baseAddress! + i * stride + column
            for j in 0..<cols { row[j] = factor * (row[j] - meanGradient - kept[j] * meanWeighted) }
        }
    }

    /// A process that holds none of a batch's examples still joins every sum the others make, in
    /// their order (forward, layer 1 first; then backward, last layer first), adding zeros.
    func joinWithoutExamples(examples: Int, scale: Double) {
        let normalizedLayers = settings.indices.filter(isNormalized)
        for index in normalizedLayers {
            let rows = gamma[index].count, sums = scratch[0][index].baseAddress!
            sums.update(repeating: 0, count: 2 * rows)
            reduction.sum(sums, count: rows, part: 0)
            for i in 0..<rows { sums[2 * rows + i] = sums[i] / Double(examples) }
            reduction.sum(sums + rows, count: rows, part: 0)
            for i in 0..<rows {
                (batchMean[index][i], batchVariance[index][i]) = (sums[2 * rows + i], sums[rows + i] / Double(examples))
            }
        }
        for index in normalizedLayers.reversed() {
            let rows = gamma[index].count, sums = scratch[0][index].baseAddress!
            sums.update(repeating: 0, count: 2 * rows)
            reduction.sum(sums, count: 2 * rows, part: 0)
            for i in 0..<rows {
                (dBeta[index][i], dGamma[index][i]) = (Scalar(scale * sums[i]), Scalar(scale * sums[rows + i]))
            }
        }
    }

    /// After a training batch: running average ← momentum·running average + (1 − momentum)·the
    /// batch's, for μ and σ².
    func updateRunningAverages() {
        for index in settings.indices {
            guard let momentum = settings[index]?.momentum else { continue }
            for i in 0..<gamma[index].count {
                runningMean[index][i] = Scalar(
                    momentum * Double(runningMean[index][i]) + (1 - momentum) * batchMean[index][i])
                runningVariance[index][i] = Scalar(
                    momentum * Double(runningVariance[index][i]) + (1 - momentum) * batchVariance[index][i])
            }
        }
    }
}
