import Foundation

/// The course's gradient checking, as a feature: backprop's gradients against centred differences
/// of the cost, dθ̃ᵢ = (J(θ + εeᵢ) − J(θ − εeᵢ)) / 2ε, compared by the relative difference
/// ‖g − g̃‖ / (‖g‖ + ‖g̃‖), per parameter and over all of them at once (the course flattens them).
///
/// It checks the training engine's own backprop, with L2 and dropout when asked (dropout's masks
/// held fixed: the course's seeding redraws the same masks for every cost).
public struct GradientCheck: Sendable {
    /// One parameter's comparison: its name (W1, b1, …), entries, and relative difference.
    public struct Entry: Sendable {
        /// The parameter's name: "W1", "b1", "W2", ….
        public let name: String
        /// Its entries, each checked by a centred difference.
        public let count: Int
        /// ‖g − g̃‖ / (‖g‖ + ‖g̃‖) over its entries.
        public let difference: Double
    }

    /// One comparison per parameter, in the order W1, b1, W2, b2, ….
    public let entries: [Entry]
    /// The relative difference over every parameter flattened into one vector.
    public let overall: Double
    /// Hidden pre-activations within `kinkTolerance` of 0, where a relu has no derivative: a
    /// centred difference across such a point measures half a step, not a slope, so disagreement
    /// there is not a mistake. (Zero biases make them common: a unit fed only zeros sits at z = 0.)
    public let kinks: Int
    /// How close to 0 a pre-activation counts as on the kink: far above ε's effect on z.
    public static let kinkTolerance = 1e-6

    /// The course's verdict on `overall`: below 2e-7 the backprop is right; above 1e-3 it has a
    /// mistake; in between, worth a closer look.
    public var verdict: String {
        // NaN or inf compares false with every bound: said first, never "probably right".
        guard overall.isFinite else {
            return
                "The difference is \(overall.isNaN ? "nan" : "\(overall)"): the cost or its gradients are not finite here (a saturated "
                + "output, or overflow); no verdict. Check a model whose cost is finite."
        }
        if overall < 2e-7 { return "Your backward propagation works perfectly fine! (difference below 2e-7)" }
        if kinks > 0 {
            return "The difference is above 2e-7, but \(kinks) pre-activations sit on a ReLU's kink (|z| < 1e-6), "
                + "where centred differences do not hold; check a model away from them (nonzero biases, after some training)."
        }
        return overall > 1e-3
            ? "There is a mistake in the backward propagation! (difference above 1e-3)"
            : "The difference is between 2e-7 and 1e-3: probably right, worth a closer look."
    }

    /// The most multiply-adds a check may plan: about a minute of this machine's work. Beyond it
    /// the check would run for hours (the course's cat model: 246,000 parameters × 2 passes over
    /// 209 pictures, 5·10¹³), and is refused before it starts.
    public static let workLimit = 1e12

    /// Checks `model` on (X, Y) with the L2 and dropout settings of `l2` and `keepProb`.
    ///
    /// Costs 2·(number of parameters) forward passes, each 2·Σ n[l]·n[l−1]·m operations: meant for
    /// small models and data; more than `workLimit` is refused with the figure.
    public init(
        model: DeepNeuralNetwork, X: Matrix, Y: Matrix, l2: Double = 0, keepProb: Double = 1, epsilon: Double = 1e-7
    ) throws {
        let work = 2 * Double(model.parameterCount) * 2 * Double(model.parameterCount) * Double(X.cols)
        guard work <= Self.workLimit else {
            throw DNNError(
                "a gradient check of \(model.parameterCount) parameters on \(X.cols) examples is "
                    + String(format: "%.0e", work) + " operations (hours); check a smaller network or fewer examples")
        }
        try model.checkInput(X)
        try model.checkTargets(Y, examples: X.cols)
        guard epsilon > 0, epsilon.isFinite else { throw DNNError("ε \(epsilon): must be positive") }
        let options = TrainingOptions(
            learningRate: 1, iterations: 1, l2: l2, keepProb: keepProb, dropoutSeeding: .course, engine: .direct,
            threads: 1)
        try options.validate(examples: X.cols)
        let plan = try TrainingPlan(
            layerSizes: model.layerSizes, examples: X.cols, iterations: 1, precision: .float64, engine: .direct,
            threads: 1)
        let engine = TrainingEngine<Double>(
            parameters: model.parameters, X: model.prepared(X), Y: Y, plan: plan, options: options,
            network: model.network,
            materialisesGradients: true)
        let backprop = engine.gradients()
        var entries = [Entry]()
        var allBackprop = [Double](), allApproximate = [Double]()
        for which in backprop.indices {
            let approximate = (0..<engine.parameterCount(which)).map { entry in
                (engine.cost(moving: which, entry: entry, by: epsilon)
                    - engine.cost(moving: which, entry: entry, by: -epsilon))
                    / (2 * epsilon)
            }
            let name = engine.parameterName(which)
            entries.append(
                Entry(name: name, count: approximate.count, difference: Self.difference(backprop[which], approximate)))
            allBackprop += backprop[which]
            allApproximate += approximate
        }
        self.entries = entries
        overall = Self.difference(allBackprop, allApproximate)
        // Dropout acts after the activation, so the pre-activations are those of the plain forward
        // pass; only activations with a kink at 0 (relu, leaky-relu) count.
        let network = model.network
        let caches = lModelForward(
            model.prepared(X), model.parameters, activations: network.activations, head: network.head,
            normalizations: network.normalizations
        ).caches
        kinks = zip(caches, network.activations).reduce(0) { count, pair in
            let (cache, activation) = pair
            guard activation.function.hasKinkAtZero else { return count }
            return count + cache.activation.scalars.filter { abs($0) < Self.kinkTolerance }.count
        }
    }

    /// ‖g − g̃‖ / (‖g‖ + ‖g̃‖); 0 when both are 0.
    static func difference(_ g: [Double], _ approximate: [Double]) -> Double {
        func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let denominator = norm(g) + norm(approximate)
        return denominator == 0 ? 0 : norm(zip(g, approximate).map(-)) / denominator
    }
}
