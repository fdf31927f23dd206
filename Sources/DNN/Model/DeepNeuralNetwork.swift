/// A deep, fully connected model: any `Network` of layers and activations with its output head
/// (the course's [LINEAR → RELU]×(L−1) → LINEAR → SIGMOID by default), its parameters and its
/// task (classes, regression targets or labels, by name). It trains (full-batch or mini-batch,
/// with any optimiser and schedule), predicts, and saves itself to a file.
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
    public internal(set) var parameters: Parameters
    /// What the model predicts: classes, regression targets or labels, with their names.
    public internal(set) var task: LearningTask
    /// The names of the classes, class 0 first (empty for regression and multi-label models).
    public var classNames: [String] { task.classNames }
    /// For regression trained with standardised targets: each target's training mean and
    /// deviation. Training and its printed cost see (y − mean)/scale; predictions, metrics and
    /// exports are on the original scale.
    public var targetStandardization: Standardization? {
        didSet {
            precondition(
                targetStandardization == nil
                    || task.kind == .regression && targetStandardization!.mean.count == network.outputs)
        }
    }
    /// For image models, (height, width, channels) of the input before flattening.
    public var inputShape: [Int]?
    /// For tabular data, the features' names in the order the model takes them.
    public var featureNames: [String]? {
        didSet { precondition(featureNames == nil || featureNames!.count == network.inputs) }
    }
    /// For tabular data, the columns its targets were read from in training (a classifier's label
    /// column; each target's or label's), so that data to predict or evaluate is read alike
    /// without naming them again.
    public var targetColumns: [String]? {
        didSet { precondition(targetColumns == nil || targetColumns!.count == task.targetRows) }
    }
    /// For tabular data, how the raw columns became the features (imputation, categories, dates),
    /// fitted on the training data: files to predict or evaluate are read through it.
    public var preprocessing: TabularPipeline? {
        didSet { precondition(preprocessing == nil || preprocessing!.outputNames.count == network.inputs) }
    }
    /// Applied to every input (training, prediction) before the first layer, when set.
    public var standardization: Standardization? {
        didSet { precondition(standardization == nil || standardization!.mean.count == network.inputs) }
    }
    /// How the model was last trained, if it was.
    public internal(set) var training: TrainingRecord?
    /// The optimiser's state after the last training, taken up by the next call to `train` with the
    /// same optimiser, so that training resumes exactly.
    public internal(set) var optimizerState: OptimizerState?

    /// A new model of the course's kind on `layerSizes` (relu hidden layers; one sigmoid unit when
    /// the last size is 1, a softmax over K ≥ 3 units otherwise), with parameters drawn by
    /// `initialization`, from `seed` or the course's seed for that scheme.
    public init(
        layerSizes: [Int], initialization: InitializationScheme = .course, seed: UInt32? = nil,
        classNames: [String]? = nil
    ) throws {
        try Self.validate(layerSizes: layerSizes)
        let network = Network(layerSizes: layerSizes)
        try self.init(
            network: network, initialization: initialization, seed: seed,
            task: classNames.map { .classification(classes: $0) })
    }

    /// A new model of `network`, with parameters drawn by `initialization` from `seed` (or the
    /// course's seed for that scheme). Class names default to "0", "1", ….
    public init(
        network: Network, initialization: InitializationScheme = .course, seed: UInt32? = nil,
        classNames: [String]? = nil
    ) throws {
        try self.init(
            network: network, initialization: initialization, seed: seed,
            task: classNames.map { .classification(classes: $0) })
    }

    /// A new model of `network` for `task` (by default `LearningTask.numbered(for:)`), with
    /// parameters drawn by `initialization` from `seed` (or the course's seed for that scheme).
    public init(
        network: Network, initialization: InitializationScheme = .course, seed: UInt32? = nil, task: LearningTask?
    ) throws {
        try network.validate()
        let sizes = network.layerSizes
        let seed = seed ?? initialization.defaultSeed(for: sizes)
        try self.init(
            network: network,
            parameters: initialization.parameters(layerSizes: sizes, seed: seed).startingNormalization(of: network),
            task: task, initialization: InitializationRecord(scheme: initialization, seed: seed))
    }

    /// A model with the given parameters: relu hidden layers (or `network`'s activations and head).
    public init(parameters: Parameters, network: Network? = nil, classNames: [String]? = nil) throws {
        try self.init(parameters: parameters, network: network, task: classNames.map { .classification(classes: $0) })
    }

    /// A model with the given parameters for `task` (by default `LearningTask.numbered(for:)`).
    public init(parameters: Parameters, network: Network? = nil, task: LearningTask?) throws {
        let sizes = [parameters.W(1).cols] + parameters.layers.map { $0.W.rows }
        if network == nil { try Self.validate(layerSizes: sizes) }
        let network = network ?? Network(layerSizes: sizes)
        guard network.layerSizes == sizes else {
            throw DNNError("parameters of sizes \(sizes) do not fit the network \(network.layerSizes)")
        }
        try self.init(network: network, parameters: parameters, task: task, initialization: nil)
    }

    init(
        network: Network, parameters: Parameters, task: LearningTask?, initialization: InitializationRecord?,
        inputShape: [Int]? = nil, training: TrainingRecord? = nil, optimizerState: OptimizerState? = nil
    ) throws {
        try network.validate()
        try parameters.requireNormalization(of: network)
        let task = task ?? .numbered(for: network)
        try task.requireFits(network)
        // A prediction names its class or target: two of one name could not be told apart.
        if let twice = Self.repeated(task.names) {
            throw DNNError(
                "the \(task.kind == .classification ? "class" : "target") name '\(elided(twice))' is given twice")
        }
        self.network = network
        self.parameters = parameters
        self.task = task
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

    /// Checks that Y holds targets of this model's task for X's m examples (`LearningTask.validate`).
    func checkTargets(_ Y: Matrix, examples m: Int, source: String = "labels") throws {
        try task.validate(targets: Y, examples: m, source: source)
    }

    /// Y on the scale training sees: standardised by `targetStandardization` for regression
    /// trained so, as it is otherwise.
    func trainingTargets(_ Y: Matrix) -> Matrix { targetStandardization?.apply(Y) ?? Y }
}
