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
    /// How the parameters move after each gradient (gradient descent by default).
    public var optimizer: Optimizer
    /// How the learning rate decays from `learningRate`, after each pass.
    public var schedule: LearningRateSchedule
    /// λ of the L2 penalty: the cost gains λ/(2m)·Σ‖W[l]‖², each dW[l] gains (λ/m)·W[l].
    public var l2: Double
    /// The probability of keeping a hidden unit under (inverted) dropout; 1 turns dropout off.
    /// Never applied at prediction.
    public var keepProb: Double
    /// Where dropout's masks come from: fresh ones (the default) or the course's reseeding.
    public var dropoutSeeding: DropoutSeeding
    /// Seed of the generator behind fresh dropout masks.
    public var dropoutSeed: UInt32
    /// Report the cost at passes 0, `reportEvery`, … and at the last.
    public var reportEvery: Int
    /// The floating-point type the engine computes in (float64 by default).
    public var precision: Precision
    /// The path the engine takes with X: `direct`, `dual`, or `auto` (the default) to let the plan choose.
    public var engine: EngineSelection
    /// Threads the heavy products may use; nil for one per core (the plan caps either).
    public var threads: Int?
    /// What the examples' weights were ("class weights balanced", say), for the model's record;
    /// the weights themselves go to `train(_:_:weights:…)`.
    public var weighting: String?

    /// The options of a run of `iterations` passes at learning rate `learningRate`; every other setting
    /// defaults to the course's first part (full batches, gradient descent, no decay, no L2, no dropout).
    public init(
        learningRate: Double, iterations: Int, miniBatchSize: Int? = nil, optimizer: Optimizer = .gradientDescent,
        schedule: LearningRateSchedule = .constant, l2: Double = 0, keepProb: Double = 1,
        dropoutSeeding: DropoutSeeding = .fresh, dropoutSeed: UInt32 = 1,
        reportEvery: Int = 100, precision: Precision = .float64, engine: EngineSelection = .auto, threads: Int? = nil
    ) {
        self.learningRate = learningRate
        self.iterations = iterations
        self.miniBatchSize = miniBatchSize
        self.optimizer = optimizer
        self.schedule = schedule
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
    var allowsDualPath: Bool { optimizer.function.linearForm != nil }

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
        try optimizer.function.validate()
        try schedule.function.validate()
    }
}

/// What an optimiser carries from one step to the next, kept with the model so that training can
/// resume exactly where it stopped: its moments per parameter, its step count t, and the seed of
/// the last epoch's shuffle.
public struct OptimizerState: Sendable, Equatable {
    /// The optimiser the state belongs to: only the same one (name and settings) takes it up.
    public let optimizer: Optimizer
    /// t: steps (mini-batches) taken so far.
    public let step: Int
    /// The seed of the last shuffle (the course's seeds start at 10 and grow by 1 per epoch).
    public let shuffleSeed: UInt32
    /// Per parameter, in the order W1, b1, W2, …: the optimiser's `stateCount` moments, slot after
    /// slot (momentum's v; Adam's v then s). Empty when the optimiser keeps none.
    public let moments: [[Double]]

    /// The state of `optimizer` after `step` steps, with the last shuffle's seed and the moments per parameter.
    public init(optimizer: Optimizer, step: Int, shuffleSeed: UInt32, moments: [[Double]]) {
        self.optimizer = optimizer
        self.step = step
        self.shuffleSeed = shuffleSeed
        self.moments = moments
    }
}

extension OptimizerState: Codable {
    private enum Keys: String, CodingKey {
        case optimizer, step, shuffleSeed, moments
        // Version 1 files: momentum's or Adam's first moments (vW, vb) and Adam's second (sW, sb).
        case vW, vb, sW, sb
    }

    /// Reads `optimizer`, `step`, `shuffleSeed` and `moments`; a version 1 file's `vW`, `vb`, `sW` and `sb` (one
    /// list per layer each) become the moments, and lists of different lengths are a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        optimizer = try container.decode(Optimizer.self, forKey: .optimizer)
        step = try container.decode(Int.self, forKey: .step)
        shuffleSeed = try container.decode(UInt32.self, forKey: .shuffleSeed)
        if let moments = try container.decodeIfPresent([[Double]].self, forKey: .moments) {
            self.moments = moments
            return
        }
        let (vW, vb) = (
            try container.decode([[Double]].self, forKey: .vW), try container.decode([[Double]].self, forKey: .vb)
        )
        let (sW, sb) = (
            try container.decode([[Double]].self, forKey: .sW), try container.decode([[Double]].self, forKey: .sb)
        )
        guard !vW.isEmpty else {
            moments = []
            return
        }
        // One entry per layer in each list (Adam's second moments, or none for momentum).
        guard vb.count == vW.count, sW.isEmpty && sb.isEmpty || sW.count == vW.count && sb.count == vW.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .vb, in: container,
                debugDescription: "\(vW.count), \(vb.count), \(sW.count) and \(sb.count) layers of moments")
        }
        moments = vW.indices.flatMap { l in
            [vW[l] + (sW.isEmpty ? [] : sW[l]), vb[l] + (sb.isEmpty ? [] : sb[l])]
        }
    }

    /// Writes `optimizer`, `step`, `shuffleSeed` and `moments` (the current version's keys).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(optimizer, forKey: .optimizer)
        try container.encode(step, forKey: .step)
        try container.encode(shuffleSeed, forKey: .shuffleSeed)
        try container.encode(moments, forKey: .moments)
    }
}
