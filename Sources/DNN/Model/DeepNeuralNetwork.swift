/// A deep, fully connected classifier: any `Network` of layers and activations with its output
/// head (the course's [LINEAR → RELU]×(L−1) → LINEAR → SIGMOID by default), its parameters and
/// class names. It trains (full-batch or mini-batch, with any optimiser and schedule), predicts,
/// and saves itself to a file.
///
/// ```swift
/// var model = DeepNeuralNetwork(layerSizes: [12288, 20, 7, 5, 1])   // the course's L-layer model
/// let costs = try model.train(train.X, train.Y, learningRate: 0.0075, iterations: 2500)
/// print(model.accuracy(test.X, test.Y))                               // 0.8
/// ```
public struct DeepNeuralNetwork: Sendable, Equatable {
    /// The layers, their activations and the output head.
    public let network: Network
    /// W[l] and b[l] for l = 1…L.
    public private(set) var parameters: Parameters
    /// The names of the classes, class 0 first.
    public var classNames: [String]
    /// For image models, (height, width, channels) of the input before flattening.
    public var inputShape: [Int]?
    /// For tabular data, the features' names in the order the model takes them.
    public var featureNames: [String]? {
        didSet { precondition(featureNames == nil || featureNames!.count == network.inputs) }
    }
    /// Applied to every input (training, prediction) before the first layer, when set.
    public var standardization: Standardization? {
        didSet { precondition(standardization == nil || standardization!.mean.count == network.inputs) }
    }
    /// How the model was last trained, if it was.
    public private(set) var training: TrainingRecord?
    /// The optimiser's state after the last training, taken up by the next call to `train` with the
    /// same optimiser, so that training resumes exactly.
    public private(set) var optimizerState: OptimizerState?

    /// A new model of the course's kind on `layerSizes` (relu hidden layers; one sigmoid unit when
    /// the last size is 1, a softmax over K ≥ 3 units otherwise), with parameters drawn by
    /// `initialization`, from `seed` or the course's seed for that scheme.
    public init(
        layerSizes: [Int], initialization: InitializationScheme = .course, seed: UInt32? = nil,
        classNames: [String]? = nil
    ) throws {
        try Self.validate(layerSizes: layerSizes)
        try self.init(
            network: Network(layerSizes: layerSizes), initialization: initialization, seed: seed, classNames: classNames
        )
    }

    /// A new model of `network`, with parameters drawn by `initialization` from `seed` (or the
    /// course's seed for that scheme). Class names default to "0", "1", ….
    public init(
        network: Network, initialization: InitializationScheme = .course, seed: UInt32? = nil,
        classNames: [String]? = nil
    ) throws {
        try network.validate()
        let sizes = network.layerSizes
        let seed = seed ?? initialization.defaultSeed(for: sizes)
        try self.init(
            network: network, parameters: initialization.parameters(layerSizes: sizes, seed: seed),
            classNames: classNames, initialization: InitializationRecord(scheme: initialization, seed: seed))
    }

    /// A model with the given parameters: relu hidden layers (or `network`'s activations and head).
    public init(parameters: Parameters, network: Network? = nil, classNames: [String]? = nil) throws {
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        if network == nil { try Self.validate(layerSizes: sizes) }
        let network = network ?? Network(layerSizes: sizes)
        guard network.layerSizes == sizes else {
            throw DNNError("parameters of sizes \(sizes) do not fit the network \(network.layerSizes)")
        }
        try self.init(network: network, parameters: parameters, classNames: classNames, initialization: nil)
    }

    init(
        network: Network, parameters: Parameters, classNames: [String]?, initialization: InitializationRecord?,
        inputShape: [Int]? = nil, training: TrainingRecord? = nil, optimizerState: OptimizerState? = nil
    ) throws {
        try network.validate()
        let names = classNames ?? (0..<network.classes).map(String.init)
        guard names.count == network.classes else {
            throw DNNError("\(names.count) class names for a model of \(network.classes) classes")
        }
        // A prediction names its class: two classes of one name could not be told apart.
        if let twice = Self.repeated(names) { throw DNNError("the class name '\(elided(twice))' is given twice") }
        self.network = network
        self.parameters = parameters
        self.classNames = names
        self.inputShape = inputShape
        self.initialization = initialization
        self.training = training
        self.optimizerState = optimizerState
    }

    /// The first name that occurs twice in `names`, if any.
    static func repeated(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }

    /// How the parameters were first drawn, if this model drew them.
    public let initialization: InitializationRecord?

    /// Checks sizes given as the course writes them: [n[0], …, n[L]], each at least 1, the last 1
    /// (two classes) or at least 3 (softmax over that many classes).
    static func validate(layerSizes: [Int]) throws {
        guard layerSizes.count >= 2 else {
            throw DNNError("layer sizes \(layerSizes): need at least an input size and an output size")
        }
        guard layerSizes.allSatisfy({ $0 > 0 }) else {
            throw DNNError("layer sizes \(layerSizes): every size must be at least 1")
        }
        guard layerSizes.last != 2 else {
            throw DNNError(
                "layer sizes \(layerSizes): two classes take one output unit (sigmoid), not 2; three or more take softmax"
            )
        }
    }

    /// n[0], …, n[L]: the input size, the hidden layers' sizes, and the output units.
    public var layerSizes: [Int] { network.layerSizes }

    /// L, the number of layers with parameters.
    public var layerCount: Int { network.layerCount }

    /// The number of trainable numbers: Σ n[l]·(n[l-1] + 1).
    public var parameterCount: Int { network.parameterCount }

    /// The course's shape table, header first and a total last: for m examples, layer l maps an
    /// (n[l-1], m) input to an (n[l], m) output through W (n[l], n[l-1]) and b (n[l], 1).
    public var shapeTable: [[String]] {
        let sizes = layerSizes
        return [["Layer", "Shape of W", "Shape of b", "Activation", "Shape of A", "Parameters"]]
            + (1...layerCount).map { l in
                [
                    "\(l)", "(\(sizes[l]), \(sizes[l - 1]))", "(\(sizes[l]), 1)", network.activationName(l),
                    "(\(sizes[l]), m)", "\(sizes[l] * (sizes[l - 1] + 1))",
                ]
            }
            + [["Total", "", "", "", "", "\(parameterCount)"]]
    }

    /// Checks that X (n[0]×m) fits the model; `source` names the data in the message.
    public func checkInput(_ X: Matrix, source: String = "data") throws {
        try checkInput(FeatureMatrix(X), source: source)
    }

    /// The same for features in any form: throws unless they have n[0] features per example.
    public func checkInput(_ X: FeatureMatrix, source: String = "data") throws {
        guard X.features == layerSizes[0] else {
            throw DNNError("\(source): \(X.features) features per example, but the model takes \(layerSizes[0])")
        }
    }

    /// Checks that Y (1×m) holds class indices of this model for X's m examples.
    func checkLabels(_ Y: Matrix, examples m: Int, source: String = "labels") throws {
        guard Y.rows == 1, Y.cols == m else {
            throw DNNError(
                "\(source): labels of shape \(Y.shapeDescription) do not match \(m) examples; expected (1,\(m))")
        }
        if let i = Y.scalars.firstIndex(where: { $0 < 0 || $0 >= Double(network.classes) || $0 != $0.rounded() }) {
            throw DNNError(
                "\(source): label \(Y.scalars[i]) of example \(i) is not one of the model's classes 0…\(network.classes - 1)"
            )
        }
    }

    /// X as the first layer takes it: standardised when the model has a standardisation.
    func prepared(_ X: Matrix) -> Matrix { standardization?.apply(X) ?? X }

    /// The output probabilities AL (1×m for one sigmoid unit: the probability of class 1; K×m for
    /// softmax) and the labels they give (1×m: AL > `threshold` for one sigmoid unit, else the most
    /// probable class). X is raw: the model's standardisation, if any, is applied here.
    public func predict(_ X: Matrix, threshold: Double = 0.5) throws -> (probabilities: Matrix, labels: Matrix) {
        try predict(FeatureMatrix(X), threshold: threshold)
    }

    /// The same for features in any form: run on the engine's layer loop in the model's
    /// precision (the one it was trained in; float64 for a model never trained), a block of
    /// examples at a time.
    public func predict(_ X: FeatureMatrix, threshold: Double = 0.5) throws -> (
        probabilities: Matrix, labels: Matrix
    ) {
        try checkInput(X)
        try ResourceLimits.require(
            ResourceLimits.bytes([layerSizes.last!, X.examples, 2], each: 8),
            for: "predicting \(X.examples) examples through \(elided("\(layerSizes)"))")
        let probabilities =
            predictionPrecision == .float64
            ? Predictor<Double>(model: self).outputs(X) : Predictor<Float>(model: self).outputs(X)
        guard !probabilities.scalars.contains(where: \.isNaN) else {
            throw DNNError("the model's output is NaN for this data: its parameters cannot predict")
        }
        let classes =
            probabilities.rows == 1
            ? probabilities.scalars.map { $0 > threshold ? 1 : 0 }
            : network.head.function.predictedClasses(probabilities)
        return (probabilities, Matrix(rows: 1, cols: X.examples, scalars: classes.map(Double.init)))
    }

    /// The precision predictions run in: the model's training precision, float64 for a model
    /// never trained.
    public var predictionPrecision: Precision { training?.precision ?? .float64 }

    /// X with its rows in the model's feature order. The data's feature names must be the model's:
    /// in the same order, or in any order when `byName` (then rows are picked by name and other
    /// columns left out). Models and data without names are taken as they are.
    public func aligned(_ data: Dataset, byName: Bool = false, source: String = "data") throws -> Matrix {
        guard let expected = featureNames, let given = data.featureNames, expected != given else { return data.X }
        let missing = expected.filter { !given.contains($0) }
        guard missing.isEmpty else {
            throw DNNError(
                "\(source): no column named \(elided(missing.prefix(3).map { "'\($0)'" }.joined(separator: ", "))) (the model's features)"
            )
        }
        guard byName || given.count == expected.count else {
            let extra = given.filter { !expected.contains($0) }
            throw DNNError(
                "\(source): columns the model does not take: \(elided(extra.prefix(3).joined(separator: ", "))); "
                    + "pass --match-columns by-name to leave them out")
        }
        guard byName else {
            let first = zip(given, expected).enumerated().first { $0.element.0 != $0.element.1 }!
            throw DNNError(
                "\(source): columns in another order than the model's (column \(first.offset + 1) is "
                    + "'\(elided(first.element.0))', the model's is '\(elided(first.element.1))'); pass --match-columns by-name to reorder"
            )
        }
        let rows = expected.map { given.firstIndex(of: $0)! }
        let X = data.X
        return Matrix(
            rows: rows.count, cols: X.cols, scalars: rows.flatMap { X.scalars[$0 * X.cols..<($0 + 1) * X.cols] })
    }

    /// The fraction of examples whose predicted label equals Y's (1×m).
    public func accuracy(_ X: Matrix, _ Y: Matrix) throws -> Double {
        try accuracy(FeatureMatrix(X), Y)
    }

    /// The same for features in any form (see `predictedClasses`).
    public func accuracy(_ X: FeatureMatrix, _ Y: Matrix) throws -> Double {
        guard Y.rows == 1, Y.cols == X.examples else {
            throw DNNError("labels of shape \(Y.shapeDescription) do not match \(X.examples) examples")
        }
        let correct = zip(try predictedClasses(X), Y.scalars).filter { Double($0) == $1 }.count
        return Double(correct) / Double(Y.cols)
    }

    /// The predicted class of every example (for two classes, 1 where its probability is above
    /// `threshold`), on the engine's layer loop a block at a time: a wide output (100,000
    /// classes) holds one block's probabilities, not all of them.
    public func predictedClasses(_ X: FeatureMatrix, threshold: Double = 0.5) throws -> [Int] {
        try checkInput(X)
        let classes =
            predictionPrecision == .float64
            ? Predictor<Double>(model: self).classes(X, threshold: threshold)
            : Predictor<Float>(model: self).classes(X, threshold: threshold)
        guard let classes else {
            throw DNNError("the model's output is NaN for this data: its parameters cannot predict")
        }
        return classes
    }

    /// Trains by full-batch gradient descent, as the course does, for `iterations` iterations.
    ///
    /// Every iteration computes the cost of the current parameters, then takes one step. The cost
    /// at iterations 0, `reportEvery`, 2·`reportEvery`, … and at the last iteration goes to
    /// `report` and into the returned history; `progress` (if any) sees every iteration.
    /// A cost that turns NaN stops training with an error naming the iteration, and the model
    /// keeps the parameters it had before `train` was called.
    ///
    /// `engine` picks the algorithm for the first layer (`auto`: the dual path when it is cheaper);
    /// `threads` caps the threads of the heavy products (default: all cores). Either path gives the
    /// same results up to rounding.
    ///
    /// Shapes: X is n[0]×m, Y is 1×m with labels 0…K−1 (0 and 1 for the course's model).
    @discardableResult
    public mutating func train(
        _ X: Matrix, _ Y: Matrix, learningRate: Double, iterations: Int, reportEvery: Int = 100,
        precision: Precision = .float64, engine: EngineSelection = .auto, threads: Int? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> TrainingDecision)? = nil
    ) throws -> [CostRecord] {
        try train(
            X, Y,
            options: TrainingOptions(
                learningRate: learningRate, iterations: iterations, reportEvery: reportEvery, precision: precision,
                engine: engine, threads: threads),
            report: report, progress: progress)
    }

    /// Trains with every option (see `TrainingOptions`): mini-batches, L2, dropout, any optimiser and
    /// learning-rate schedule. Each pass (iteration or epoch) reports its cost as above; an infinite
    /// cost (a saturated wrong output) does not stop training, a NaN does. A second call continues
    /// from where the first stopped: the pass numbers, the optimiser's state and the schedule.
    ///
    /// With `validation`, the held-out cost and accuracy after every pass go into the records, and
    /// with its patience training stops early and the model keeps the parameters of the best pass.
    /// `progress` sees every pass and may stop training. X is raw: the model's standardisation, if
    /// any, is applied here.
    @discardableResult
    public mutating func train(
        _ X: Matrix, _ Y: Matrix, options: TrainingOptions, validation: Validation? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> TrainingDecision)? = nil
    ) throws -> [CostRecord] {
        try train(FeatureMatrix(X), Y, options: options, validation: validation, report: report, progress: progress)
    }

    /// The same on features in any form (`Dataset.features`): the engine converts them straight
    /// into its precision, so bytes are never widened to Double whole.
    ///
    /// With `communicator`, this process is one of a distributed job and X, Y its shard of the
    /// examples: every process starts from rank 0's parameters, and after each iteration the
    /// shards' gradient sums and costs are added up, so that every process takes the step the
    /// whole data gives, as one process holding all of it would: the same mini-batches and dropout
    /// masks (direct path; no validation yet). X must be the shard `Communicator.shard(of:)` names.
    @discardableResult
    public mutating func train(
        _ X: FeatureMatrix, _ Y: Matrix, options: TrainingOptions, validation: Validation? = nil,
        communicator: Communicator? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> TrainingDecision)? = nil
    ) throws -> [CostRecord] {
        var options = options
        var totalExamples = X.examples
        if let communicator {
            if validation != nil { throw DNNError("--distributed: validation is not distributed yet") }
            if options.engine == .dual {
                throw DNNError("--distributed: the dual engine needs XᵀX across shards; use --engine direct")
            }
            options.engine = .direct
            var count = Double(X.examples)
            try communicator.sum(&count, count: 1)
            totalExamples = Int(count)
            for index in parameters.layers.indices {
                try parameters.layers[index].W.scalars.withUnsafeMutableBufferPointer {
                    try communicator.broadcast($0.baseAddress!, count: $0.count)
                }
                try parameters.layers[index].b.scalars.withUnsafeMutableBufferPointer {
                    try communicator.broadcast($0.baseAddress!, count: $0.count)
                }
            }
        }
        try checkInput(X)
        try checkLabels(Y, examples: X.examples)
        try options.validate(examples: X.examples)
        try network.requireTrainingMemory(examples: X.examples, options: options)
        if let validation {
            try checkInput(validation.X, source: "validation data")
            try checkLabels(validation.Y, examples: validation.X.cols, source: "validation data")
            if let patience = validation.patience, patience < 1 {
                throw DNNError("early stopping after \(patience) passes: must be at least 1")
            }
        }
        // Validation reads W1 after every pass, which the dual path would form each time: `auto`
        // takes the direct path when validating.
        let engineChoice = validation != nil && options.engine == .auto ? .direct : options.engine
        let plan = try TrainingPlan(
            layerSizes: layerSizes, examples: X.examples, iterations: options.iterations,
            precision: options.precision,
            engine: engineChoice, threads: options.threads,
            // A saved momentum is a plain v1, not the dual path's c·W1(0) + V·Xᵀ: resume it directly.
            allowsDual: options.allowsDualPath
                && !(optimizerState?.optimizer == options.optimizer && !(optimizerState?.moments.isEmpty ?? true)))
        let passesBefore = training?.iterations ?? 0
        guard passesBefore <= TrainingRecord.maximumPasses - options.iterations else {
            throw DNNError(
                "\(options.iterations) more passes after the model's \(passesBefore) would pass the most a model counts, "
                    + "\(TrainingRecord.maximumPasses)")
        }
        let model = self
        let validate = validation.map { validation in
            { (parameters: Parameters) -> (cost: Double, accuracy: Double) in
                let probabilities = lModelForward(
                    model.prepared(validation.X), parameters, activations: model.network.activations,
                    head: model.network.head
                ).AL
                let head = model.network.head.function
                let labels = head.predictedClasses(probabilities)
                let correct = zip(labels, validation.Y.scalars).filter { Double($0) == $1 }.count
                return (head.cost(probabilities, validation.Y), Double(correct) / Double(validation.Y.cols))
            }
        }
        /// The same run in either precision.
        func train<Scalar: EngineScalar>(_: Scalar.Type) throws -> (TrainingRun, Parameters, OptimizerState, String) {
            let engine = TrainingEngine<Scalar>(
                parameters: parameters, features: X, standardization: standardization, Y: Y, plan: plan,
                options: options, network: network, resuming: optimizerState, communicator: communicator,
                totalExamples: totalExamples)
            let run = try engine.run(
                after: passesBefore, report: report, progress: progress, validate: validate,
                patience: validation?.patience)
            return (run, engine.parameters, engine.optimizerState, engine.pathDescription)
        }
        let (run, trained, state, path) =
            try options.precision == .float64 ? train(Double.self) : train(Float.self)
        let restores = validation?.patience != nil && run.stoppedEarly?.hasPrefix("early stopping") == true
        parameters = restores ? run.best!.parameters : trained
        optimizerState = state
        training = TrainingRecord(
            learningRate: options.learningRate, iterations: run.costs.count + passesBefore,
            precision: options.precision, engine: plan.engine, costs: (training?.costs ?? []) + run.reported,
            miniBatchSize: options.miniBatchSize, optimizer: options.optimizer, l2: options.l2,
            keepProb: options.keepProb, schedule: options.schedule.isConstant ? nil : options.schedule,
            dropoutSeeding: options.keepProb < 1 ? options.dropoutSeeding : nil,
            history: (training?.history ?? []) + run.costs,
            validationHistory: validation == nil
                ? training?.validationHistory : (training?.validationHistory ?? []) + run.validationCosts,
            restoredPass: restores ? run.best!.pass : nil, stopReason: run.stoppedEarly, path: path)
        return run.reported
    }
}

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
