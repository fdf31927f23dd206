import Foundation

/// How a model's first weights are drawn from numpy's generator; biases always start at zero.
/// For l = 1…L in order, W[l] = randn(n[l], n[l-1]) times the scheme's scale.
public enum InitializationScheme: String, Sendable, Codable, CaseIterable {
    /// The second notebook's choice: `twoLayer` for one hidden layer, `lLayer` for more.
    case course
    /// The step-by-step notebook's `initialize_parameters_deep`: scale 0.01; seed 3 by default.
    case stepByStep = "step-by-step"
    /// The second notebook's two-layer model: scale 0.01; seed 1 by default.
    case twoLayer = "two-layer"
    /// The second notebook's L-layer model: W[l] = randn(n[l], n[l-1]) / √n[l-1]; seed 1 by default.
    case lLayer = "l-layer"
    /// He et al. (2015): scale √(2 / n[l-1]); seed 3 by default, as the course's next part.
    case he
    /// Xavier (Glorot and Bengio, 2010): scale √(1 / n[l-1]); seed 3 by default.
    case xavier
    /// Every weight 0, as the course's next part shows it fails (no symmetry is broken).
    case zeros
    /// The course's next part's "random": large weights, randn × 10; seed 3 by default.
    case random

    /// The scheme `course` stands for, given the layer sizes.
    func resolved(for layerSizes: [Int]) -> InitializationScheme {
        self == .course ? (layerSizes.count == 3 ? .twoLayer : .lLayer) : self
    }

    /// The seed the course uses with this scheme.
    public func defaultSeed(for layerSizes: [Int]) -> UInt32 {
        switch resolved(for: layerSizes) {
        case .stepByStep, .he, .xavier, .zeros, .random: 3
        case .course, .twoLayer, .lLayer: 1
        }
    }

    /// Draws parameters for `layerSizes` = [n[0], …, n[L]] from a generator seeded with `seed`.
    public func parameters(layerSizes: [Int], seed: UInt32) -> Parameters {
        var rng = NumPyRandom(seed: seed)
        let scheme = resolved(for: layerSizes)
        return Parameters(
            layers: (1..<layerSizes.count).map { l in
                let draw = rng.randn(layerSizes[l], layerSizes[l - 1])
                let fanIn = Double(layerSizes[l - 1])
                // Each written as the course writes it, so the rounding matches too.
                let W: Matrix
                switch scheme {
                case .stepByStep, .twoLayer, .course: W = draw * 0.01
                case .lLayer: W = draw / fanIn.squareRoot()
                case .he: W = draw * (2 / fanIn).squareRoot()
                case .xavier: W = draw * (1 / fanIn).squareRoot()
                case .zeros: W = .zeros(layerSizes[l], layerSizes[l - 1])
                case .random: W = draw * 10
                }
                return LayerParameters(W: W, b: .zeros(layerSizes[l], 1))
            })
    }
}
