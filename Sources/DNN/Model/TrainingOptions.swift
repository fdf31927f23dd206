/// How the parameters move after each gradient.
public enum Optimizer: Sendable, Equatable, Codable {
    /// W −= α·dW.
    case gradientDescent
    /// v = β·v + (1 − β)·dW; W −= α·v.
    case momentum(beta: Double)
    /// v = β1·v + (1 − β1)·dW, s = β2·s + (1 − β2)·dW², with bias corrections v̂ = v/(1 − β1ᵗ),
    /// ŝ = s/(1 − β2ᵗ) (t counts mini-batch steps from 1); W −= α·v̂/(√ŝ + ε).
    case adam(beta1: Double, beta2: Double, epsilon: Double)

    /// The course's Adam: β1 = 0.9, β2 = 0.999, ε = 1e-8.
    public static let courseAdam = Optimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
}

/// Where dropout's masks come from.
public enum DropoutSeeding: String, Sendable, Codable, CaseIterable {
    /// Fresh masks every iteration from the model's own generator.
    case fresh
    /// As the course's notebook: the generator is seeded with 1 at the start of every forward
    /// pass and draws one `rand` array per hidden layer, in layer order (so the masks repeat).
    case course
}

/// Everything that shapes a training run besides the data and the starting parameters.
public struct TrainingOptions: Sendable {
    /// The learning rate α.
    public var learningRate: Double
    /// Passes over the data: iterations of full-batch training, or epochs of mini-batches.
    public var iterations: Int
    /// Examples per mini-batch; nil trains on all examples at once. With mini-batches the data is
    /// shuffled before every epoch by numpy's `permutation`, seeded as the course does: a seed that
    /// starts at 10 and is incremented before each epoch.
    public var miniBatchSize: Int?
    public var optimizer: Optimizer
    /// λ of the L2 penalty: the cost gains λ/(2m)·Σ‖W[l]‖², each dW[l] gains (λ/m)·W[l].
    public var l2: Double
    /// The probability of keeping a hidden unit under (inverted) dropout; 1 turns dropout off.
    /// Never applied at prediction.
    public var keepProb: Double
    public var dropoutSeeding: DropoutSeeding
    /// Seed of the generator behind fresh dropout masks.
    public var dropoutSeed: UInt32
    /// Report the cost at passes 0, `reportEvery`, … and at the last.
    public var reportEvery: Int
    public var precision: Precision
    public var engine: EngineSelection
    public var threads: Int?

    public init(
        learningRate: Double, iterations: Int, miniBatchSize: Int? = nil, optimizer: Optimizer = .gradientDescent,
        l2: Double = 0, keepProb: Double = 1, dropoutSeeding: DropoutSeeding = .fresh, dropoutSeed: UInt32 = 1,
        reportEvery: Int = 100, precision: Precision = .float64, engine: EngineSelection = .auto, threads: Int? = nil
    ) {
        self.learningRate = learningRate
        self.iterations = iterations
        self.miniBatchSize = miniBatchSize
        self.optimizer = optimizer
        self.l2 = l2
        self.keepProb = keepProb
        self.dropoutSeeding = dropoutSeeding
        self.dropoutSeed = dropoutSeed
        self.reportEvery = reportEvery
        self.precision = precision
        self.engine = engine
        self.threads = threads
    }

    /// Whether W1 stays of the form a·W1(0) + C·Xᵀ, as the dual path needs: true for gradient
    /// descent and momentum, with or without L2, mini-batches and dropout; not for Adam, whose
    /// per-entry scaling leaves that span.
    var allowsDualPath: Bool {
        if case .adam = optimizer { return false }
        return true
    }

    /// Checks every setting against the data's m examples; the message names the setting.
    func validate(examples m: Int) throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw DNNError("learning rate \(learningRate): must be a positive number")
        }
        guard iterations >= 1 else { throw DNNError("iterations \(iterations): must be at least 1") }
        guard reportEvery >= 1 else { throw DNNError("report interval \(reportEvery): must be at least 1") }
        if let threads, threads < 1 { throw DNNError("threads \(threads): must be at least 1") }
        if let size = miniBatchSize, !(1...m).contains(size) {
            throw DNNError("mini-batch size \(size): must be between 1 and the \(m) examples")
        }
        guard l2 >= 0, l2.isFinite else { throw DNNError("L2 λ \(l2): must be 0 or more") }
        guard keepProb > 0, keepProb <= 1 else { throw DNNError("keep_prob \(keepProb): must be in (0, 1]") }
        switch optimizer {
        case .gradientDescent: break
        case .momentum(let beta):
            guard (0..<1).contains(beta) else { throw DNNError("β \(beta): must be in [0, 1)") }
        case .adam(let beta1, let beta2, let epsilon):
            guard (0..<1).contains(beta1) else { throw DNNError("β1 \(beta1): must be in [0, 1)") }
            guard (0..<1).contains(beta2) else { throw DNNError("β2 \(beta2): must be in [0, 1)") }
            guard epsilon > 0 else { throw DNNError("ε \(epsilon): must be positive") }
        }
    }
}

/// What an optimiser carries from one step to the next, kept with the model so that training can
/// resume exactly where it stopped: the moments per parameter (layer 1 first), Adam's step count,
/// and the seed of the last epoch's shuffle.
public struct OptimizerState: Sendable, Codable, Equatable {
    public let optimizer: Optimizer
    /// Adam's t: mini-batch steps taken so far.
    public let step: Int
    /// The seed of the last shuffle (the course's seeds start at 10 and grow by 1 per epoch).
    public let shuffleSeed: UInt32
    /// Momentum's v, or Adam's first moments; Adam's second moments s. Empty when not used.
    public let vW: [[Double]]
    public let vb: [[Double]]
    public let sW: [[Double]]
    public let sb: [[Double]]
}
