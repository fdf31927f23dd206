/// A deep, fully connected binary classifier: [LINEAR → RELU]×(L−1) → LINEAR → SIGMOID.
///
/// It owns its layer sizes n[0]…n[L] (n[L] = 1), its parameters and its class names, trains by
/// full-batch gradient descent as the course does, predicts, and saves itself to a file.
///
/// ```swift
/// var model = DeepNeuralNetwork(layerSizes: [12288, 20, 7, 5, 1])   // the course's L-layer model
/// let costs = try model.train(train.X, train.Y, learningRate: 0.0075, iterations: 2500)
/// print(model.accuracy(test.X, test.Y))                               // 0.8
/// ```
public struct DeepNeuralNetwork: Sendable, Equatable {
    /// n[0], …, n[L]: the input size, the hidden layers' sizes, and the output size 1.
    public let layerSizes: [Int]
    /// W[l] and b[l] for l = 1…L.
    public private(set) var parameters: Parameters
    /// The names of class 0 and class 1.
    public var classNames: [String]
    /// For image models, (height, width, channels) of the input before flattening.
    public var inputShape: [Int]?
    /// How the model was last trained, if it was.
    public private(set) var training: TrainingRecord?
    /// The optimiser's state after the last training, taken up by the next call to `train` with the
    /// same optimiser, so that training resumes exactly.
    public private(set) var optimizerState: OptimizerState?

    /// A new model with parameters drawn by `initialization`, from `seed` or the course's seed for
    /// that scheme.
    public init(
        layerSizes: [Int], initialization: InitializationScheme = .course, seed: UInt32? = nil,
        classNames: [String] = ["0", "1"]
    ) throws {
        try Self.validate(layerSizes: layerSizes)
        let seed = seed ?? initialization.defaultSeed(for: layerSizes)
        self.init(
            parameters: initialization.parameters(layerSizes: layerSizes, seed: seed),
            classNames: classNames, initialization: InitializationRecord(scheme: initialization, seed: seed))
    }

    /// A model with the given parameters (n[L] must be 1).
    public init(parameters: Parameters, classNames: [String] = ["0", "1"]) throws {
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        try Self.validate(layerSizes: sizes)
        self.init(parameters: parameters, classNames: classNames, initialization: nil)
    }

    init(
        parameters: Parameters, classNames: [String], initialization: InitializationRecord?,
        inputShape: [Int]? = nil, training: TrainingRecord? = nil, optimizerState: OptimizerState? = nil
    ) {
        self.layerSizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        self.parameters = parameters
        self.classNames = classNames
        self.inputShape = inputShape
        self.initialization = initialization
        self.training = training
        self.optimizerState = optimizerState
    }

    /// How the parameters were first drawn, if this model drew them.
    public let initialization: InitializationRecord?

    static func validate(layerSizes: [Int]) throws {
        guard layerSizes.count >= 2 else {
            throw DNNError("layer sizes \(layerSizes): need at least an input size and an output size")
        }
        guard layerSizes.allSatisfy({ $0 > 0 }) else {
            throw DNNError("layer sizes \(layerSizes): every size must be at least 1")
        }
        guard layerSizes.last == 1 else {
            throw DNNError(
                "layer sizes \(layerSizes): a binary classifier has one output unit, not \(layerSizes.last!)")
        }
    }

    /// L, the number of layers with parameters.
    public var layerCount: Int { layerSizes.count - 1 }

    /// Each layer's activation: relu for layers 1…L−1, sigmoid for layer L.
    public var activations: [Activation] {
        Array(repeating: .relu, count: layerCount - 1) + [.sigmoid]
    }

    /// The number of trainable numbers: Σ n[l]·(n[l-1] + 1).
    public var parameterCount: Int {
        (1...layerCount).reduce(0) { $0 + layerSizes[$1] * (layerSizes[$1 - 1] + 1) }
    }

    /// The course's shape table, header first and a total last: for m examples, layer l maps an
    /// (n[l-1], m) input to an (n[l], m) output through W (n[l], n[l-1]) and b (n[l], 1).
    public var shapeTable: [[String]] {
        let sizes = layerSizes
        return [["Layer", "Shape of W", "Shape of b", "Activation", "Shape of A", "Parameters"]]
            + (1...layerCount).map { l in
                [
                    "\(l)", "(\(sizes[l]), \(sizes[l - 1]))", "(\(sizes[l]), 1)", activations[l - 1].rawValue,
                    "(\(sizes[l]), m)", "\(sizes[l] * (sizes[l - 1] + 1))",
                ]
            }
            + [["Total", "", "", "", "", "\(parameterCount)"]]
    }

    /// Checks that X (n[0]×m) fits the model; `source` names the data in the message.
    public func checkInput(_ X: Matrix, source: String = "data") throws {
        guard X.rows == layerSizes[0] else {
            throw DNNError("\(source): \(X.rows) features per example, but the model takes \(layerSizes[0])")
        }
    }

    /// The output probabilities AL (1×m) and the labels they give, 1 where AL > 0.5, else 0.
    public func predict(_ X: Matrix) throws -> (probabilities: Matrix, labels: Matrix) {
        try checkInput(X)
        let probabilities = lModelForward(X, parameters).AL
        return (probabilities, probabilities.map { $0 > 0.5 ? 1 : 0 })
    }

    /// The fraction of examples whose predicted label equals Y's (1×m).
    public func accuracy(_ X: Matrix, _ Y: Matrix) throws -> Double {
        let labels = try predict(X).labels
        guard Y.hasSameShape(as: labels) else {
            throw DNNError("labels of shape \(Y.shapeDescription) do not match \(X.cols) examples")
        }
        return Double(zip(labels.scalars, Y.scalars).filter { $0 == $1 }.count) / Double(Y.cols)
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
    /// Shapes: X is n[0]×m, Y is 1×m with labels 0 and 1.
    @discardableResult
    public mutating func train(
        _ X: Matrix, _ Y: Matrix, learningRate: Double, iterations: Int, reportEvery: Int = 100,
        precision: Precision = .float64, engine: EngineSelection = .auto, threads: Int? = nil,
        report: (CostRecord) -> Void = { _ in }, progress: ((CostRecord) -> Void)? = nil
    ) throws -> [CostRecord] {
        try train(
            X, Y,
            options: TrainingOptions(
                learningRate: learningRate, iterations: iterations, reportEvery: reportEvery, precision: precision,
                engine: engine, threads: threads),
            report: report, progress: progress)
    }

    /// Trains with every option of the course's next part: mini-batches, L2, dropout, momentum
    /// and Adam (see `TrainingOptions`). Each pass (iteration or epoch) reports its cost as above;
    /// an infinite cost (a saturated wrong output) does not stop training, a NaN does.
    @discardableResult
    public mutating func train(
        _ X: Matrix, _ Y: Matrix, options: TrainingOptions, report: (CostRecord) -> Void = { _ in },
        progress: ((CostRecord) -> Void)? = nil
    ) throws -> [CostRecord] {
        try checkInput(X)
        guard Y.rows == 1, Y.cols == X.cols else {
            throw DNNError(
                "labels of shape \(Y.shapeDescription) do not match \(X.cols) examples; expected (1,\(X.cols))")
        }
        try options.validate(examples: X.cols)
        let plan = try TrainingPlan(
            layerSizes: layerSizes, examples: X.cols, iterations: options.iterations, precision: options.precision,
            engine: options.engine, threads: options.threads,
            // A saved momentum is a plain v1, not the dual path's c·W1(0) + V·Xᵀ: resume it directly.
            allowsDual: options.allowsDualPath
                && !(optimizerState?.optimizer == options.optimizer && !(optimizerState?.vW.isEmpty ?? true)))
        let history: [CostRecord]
        let trained: Parameters
        let state: OptimizerState
        switch options.precision {
        case .float64:
            (history, trained, state) = try Self.run(
                TrainingEngine<Double>(
                    parameters: parameters, X: X, Y: Y, plan: plan, options: options, resuming: optimizerState),
                options, report, progress)
        case .float32:
            (history, trained, state) = try Self.run(
                TrainingEngine<Float>(
                    parameters: parameters, X: X, Y: Y, plan: plan, options: options, resuming: optimizerState),
                options, report, progress)
        }
        parameters = trained
        optimizerState = state
        training = TrainingRecord(
            learningRate: options.learningRate, iterations: options.iterations + (training?.iterations ?? 0),
            precision: options.precision, engine: plan.engine, costs: (training?.costs ?? []) + history,
            miniBatchSize: options.miniBatchSize, optimizer: options.optimizer, l2: options.l2,
            keepProb: options.keepProb)
        return history
    }

    private static func run<Scalar>(
        _ engine: TrainingEngine<Scalar>, _ options: TrainingOptions, _ report: (CostRecord) -> Void,
        _ progress: ((CostRecord) -> Void)?
    ) throws -> ([CostRecord], Parameters, OptimizerState) {
        var history = [CostRecord]()
        let passes = options.iterations
        let unit = options.miniBatchSize == nil ? "iteration" : "epoch"
        for pass in 0..<passes {
            let record = CostRecord(iteration: pass, cost: engine.epoch(learningRate: options.learningRate))
            if record.cost.isNaN {
                throw DNNError("training stopped: the cost became NaN at \(unit) \(pass)")
            }
            if pass % options.reportEvery == 0 || pass == passes - 1 {
                history.append(record)
                report(record)
            }
            progress?(record)
        }
        return (history, engine.parameters, engine.optimizerState)
    }
}

/// The cost at one iteration of training.
public struct CostRecord: Sendable, Codable, Equatable {
    public let iteration: Int
    public let cost: Double

    public init(iteration: Int, cost: Double) {
        self.iteration = iteration
        self.cost = cost
    }
}

/// How a model's parameters were first drawn.
public struct InitializationRecord: Sendable, Codable, Equatable {
    public let scheme: InitializationScheme
    public let seed: UInt32
}

/// How a model was trained: the settings and the reported costs.
public struct TrainingRecord: Sendable, Codable, Equatable {
    public let learningRate: Double
    /// All iterations run so far, over every call to `train`.
    public let iterations: Int
    public let precision: Precision
    /// The path the last call to `train` took (`direct` or `dual`).
    public let engine: EngineSelection?
    /// The reported costs; iterations count from 0 in each call to `train`.
    public let costs: [CostRecord]
    /// The options of the course's next part, when used (nil in files from before them).
    public let miniBatchSize: Int?
    public let optimizer: Optimizer?
    public let l2: Double?
    public let keepProb: Double?
}
