/// Standardisation of the features, learnt from the training data and kept with the model:
/// x′ = (x − mean) / scale for each feature, with numpy's mean and population standard deviation
/// (`X.mean(axis=1)`, `X.std(axis=1)`, ddof 0); a constant feature keeps a scale of 1.
///
/// Shapes: X is n×m (features × examples); `mean` and `scale` have n entries.
public struct Standardization: Sendable, Equatable, Codable {
    /// The mean of each feature over the training examples (n entries).
    public let mean: [Double]
    /// The population standard deviation of each feature (n entries); 1 for a constant feature.
    public let scale: [Double]

    /// A standardisation of the given means and scales, n of each; neither is checked here.
    public init(mean: [Double], scale: [Double]) {
        self.mean = mean
        self.scale = scale
    }

    /// The mean and standard deviation of each row of X.
    public init(fitting X: Matrix) { self.init(fitting: FeatureMatrix(X)) }

    /// The same for features in any form (bytes are read as byte / 255).
    ///
    /// The sums are numpy's wherever they are finite. Values near the largest doubles (±1e200)
    /// overflow Σx or Σ(x − μ)² where the mean and deviation themselves fit: then they are summed
    /// scaled (x/m; (x − μ)/s with s the largest |x − μ|, halved where even that overflows), so that
    /// both are finite and the model can be saved and read back. A deviation beyond the largest
    /// double is taken as the largest double.
    public init(fitting X: FeatureMatrix) {
        let (n, m) = (X.features, X.examples)
        var mean = [Double](repeating: 0, count: n), scale = [Double](repeating: 1, count: n)
        for f in 0..<n {
            var sum = 0.0
            for i in 0..<m { sum += X.value(feature: f, example: i) }
            var mu = sum / Double(m)
            if !mu.isFinite {
                mu = 0
                for i in 0..<m { mu += X.value(feature: f, example: i) / Double(m) }
            }
            var squares = 0.0
            for i in 0..<m {
                let d = X.value(feature: f, example: i) - mu
                squares += d * d
            }
            let variance = squares / Double(m)
            mean[f] = mu
            if variance.isFinite {
                scale[f] = variance > 0 ? variance.squareRoot() : 1
            } else {
                scale[f] = Self.deviationWithoutOverflow((0..<m).map { X.value(feature: f, example: $0) }, mean: mu)
            }
        }
        self.init(mean: mean, scale: scale)
    }

    /// √(Σ(x − μ)²/m) computed as 2s·√(Σ(((x − μ)/2)/s)²/m), s the largest |(x − μ)/2|: no term
    /// overflows. At most the largest double.
    static func deviationWithoutOverflow(_ values: [Double], mean mu: Double) -> Double {
        let halves = values.map { $0 / 2 - mu / 2 }
        let s = halves.reduce(0) { Swift.max($0, abs($1)) }
        guard s > 0 else { return 1 }
        let sum = halves.reduce(0) { $0 + ($1 / s) * ($1 / s) }
        let deviation = 2 * s * (sum / Double(values.count)).squareRoot()
        return deviation.isFinite ? deviation : .greatestFiniteMagnitude
    }

    /// (X − mean) / scale, row by row.
    public func apply(_ X: Matrix) -> Matrix {
        requireValid(X.rows == mean.count, "Standardization: \(X.rows) features, but it was fitted to \(mean.count)")
        var result = X
        for f in 0..<X.rows {
            for j in f * X.cols..<(f + 1) * X.cols { result.scalars[j] = (X.scalars[j] - mean[f]) / scale[f] }
        }
        return result
    }

    /// The inverse of `apply`: X·scale + mean, row by row (a regression's outputs on the targets'
    /// own scale).
    public func restore(_ X: Matrix) -> Matrix {
        requireValid(X.rows == mean.count, "Standardization: \(X.rows) rows, but it was fitted to \(mean.count)")
        var result = X
        for f in 0..<X.rows {
            for j in f * X.cols..<(f + 1) * X.cols { result.scalars[j] = X.scalars[j] * scale[f] + mean[f] }
        }
        return result
    }

    /// Whether features look unscaled: a mean or a spread above `limit` in size, where gradient
    /// descent with the course's learning rates saturates its units.
    public static func looksUnscaled(_ X: Matrix, limit: Double = 10) -> Bool {
        looksUnscaled(FeatureMatrix(X), limit: limit)
    }

    /// The same for features in any form; bytes (read as byte / 255, in [0, 1]) never look unscaled.
    public static func looksUnscaled(_ X: FeatureMatrix, limit: Double = 10) -> Bool {
        if case .bytes = X.storage { return false }  // byte / 255 lies in [0, 1]
        let fitted = Standardization(fitting: X)
        return zip(fitted.mean, fitted.scale).contains { abs($0) > limit || $1 > limit }
    }

    /// Checks a standardisation read from a file against n features: every scale positive and finite.
    func validate(features: Int) throws {
        guard mean.count == features, scale.count == features else {
            throw DNNError("a standardisation of \(mean.count) features for a model of \(features)")
        }
        guard mean.allSatisfy(\.isFinite), scale.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DNNError("a standardisation with a scale that is not a positive number")
        }
    }
}
