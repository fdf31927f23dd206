/// The cost at one iteration (or epoch) of training, and under a decaying schedule the learning
/// rate for the passes after it.
public struct CostRecord: Sendable, Codable, Equatable {
    /// The pass the cost belongs to (an iteration, or an epoch with mini-batches), numbered from 0.
    public let iteration: Int
    /// The training cost at that pass.
    public let cost: Double
    /// The learning rate after this pass, when a schedule changes it (nil otherwise).
    public let learningRate: Double?
    /// The cost and accuracy on validation data after this pass, when training watches it.
    public let validationCost: Double?
    /// The fraction of validation examples classified correctly after this pass, when training watches them.
    public let validationAccuracy: Double?

    /// A record of the cost at pass `iteration`, with the learning rate and the validation measures when known.
    public init(
        iteration: Int, cost: Double, learningRate: Double? = nil, validationCost: Double? = nil,
        validationAccuracy: Double? = nil
    ) {
        self.iteration = iteration
        self.cost = cost
        self.learningRate = learningRate
        self.validationCost = validationCost
        self.validationAccuracy = validationAccuracy
    }
}

/// How a model's parameters were first drawn.
public struct InitializationRecord: Sendable, Codable, Equatable {
    /// The scheme that drew them.
    public let scheme: InitializationScheme
    /// The seed of the generator it drew from (the given one, or the course's for that scheme).
    public let seed: UInt32
}

/// How a model was trained: the settings and the reported costs.
public struct TrainingRecord: Sendable, Codable, Equatable {
    /// The learning rate α of the last call to `train` (α₀, where a schedule decays it).
    public let learningRate: Double
    /// All iterations run so far, over every call to `train`.
    public let iterations: Int
    /// The precision the last call to `train` ran in.
    public let precision: Precision
    /// The path the last call to `train` took (`direct` or `dual`).
    public let engine: EngineSelection?
    /// The reported costs; iterations count from 0 in each call to `train`.
    public let costs: [CostRecord]
    /// The options of the course's next part, when used (nil in files from before them).
    public let miniBatchSize: Int?
    /// The optimiser of the last call (nil in files from before the options of the course's next part).
    public let optimizer: Optimizer?
    /// λ of the L2 penalty in the last call, 0 for none (nil in files from before it).
    public let l2: Double?
    /// The keep probability of dropout in the last call, 1 for none (nil in files from before it).
    public let keepProb: Double?
    /// The learning-rate schedule, when the rate decayed (nil for a constant rate).
    public let schedule: LearningRateSchedule?
    /// How dropout's masks were drawn, when dropout was on.
    public let dropoutSeeding: DropoutSeeding?
    /// The cost at every pass of every call, in order (nil in files from before it was kept).
    public let history: [Double]?
    /// The validation cost after every pass of the calls that watched validation data.
    public let validationHistory: [Double]?
    /// The pass whose parameters early stopping restored in the last call, if it did.
    public let restoredPass: Int?
    /// Why the last call ended before its last pass (early stopping, the caller), if it did.
    public let stopReason: String?
    /// How the last call's engine did the work with X, and why (`TrainingEngine.pathDescription`).
    public var path: String? = nil
    /// How the last call's examples were weighted (`TrainingOptions.weighting`), when they were.
    public var weighting: String? = nil

    /// The most passes a model counts over all its training (2⁵³: every count below it is exact
    /// as a Double, and adding a run's passes cannot overflow).
    public static let maximumPasses = 1 << 53

    /// Throws unless the record could have been written by training: counts within
    /// 0…`maximumPasses`, settings in their ranges; `path` names the file in the message.
    func validate(path: String) throws {
        func damaged(_ what: String) -> DNNError { DNNError("\(path): damaged model file: training.\(what)") }
        guard (0...Self.maximumPasses).contains(iterations) else {
            throw damaged("iterations \(iterations) is out of range (0…\(Self.maximumPasses))")
        }
        guard (history?.count ?? 0) <= iterations, (validationHistory?.count ?? 0) <= iterations else {
            throw damaged("history holds more passes than the \(iterations) iterations")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw damaged("learningRate \(learningRate) is not positive")
        }
        if let size = miniBatchSize, size < 1 { throw damaged("miniBatchSize \(size) is below 1") }
        if let l2, !(l2 >= 0 && l2.isFinite) { throw damaged("l2 \(l2) is not 0 or more") }
        if let keepProb, !(keepProb > 0 && keepProb <= 1) { throw damaged("keepProb \(keepProb) is not in (0, 1]") }
        if let restoredPass, !(0..<max(iterations, 1)).contains(restoredPass) {
            throw damaged("restoredPass \(restoredPass) is not one of the \(iterations) passes")
        }
        if costs.contains(where: { $0.iteration < 0 }) { throw damaged("costs hold a negative iteration") }
        // A cost is a mean of losses, 0 or more (inf for a saturated wrong output).
        let allCosts = costs.map(\.cost) + (history ?? []) + (validationHistory ?? [])
        if let bad = allCosts.first(where: { !($0 >= 0) }) {
            throw damaged("costs hold \(bad), not a cost (0 or more)")
        }
        do {
            try optimizer?.function.validate()
            try schedule?.function.validate()
        } catch let error as DNNError {
            throw damaged(error.message)
        }
    }

    /// The cost at every pass (from `history`), or the reported ones for files that kept only those.
    public var passCosts: [CostRecord] {
        guard let history else { return costs }
        return history.enumerated().map { CostRecord(iteration: $0.offset, cost: $0.element) }
    }

    /// The validation cost after every pass of the last calls that watched it, numbered as the
    /// passes they follow; nil when no validation was watched.
    public var validationPassCosts: [CostRecord]? {
        guard let validationHistory, !validationHistory.isEmpty, let history else { return nil }
        let start = history.count - validationHistory.count
        return validationHistory.enumerated().map { CostRecord(iteration: start + $0.offset, cost: $0.element) }
    }
}
