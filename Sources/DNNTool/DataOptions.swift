import ArgumentParser
import DNN
import Foundation

/// Where the examples come from, shared by the commands that read data.
struct DataOptions: ParsableArguments {
    @Option(
        name: .customLong("label-column"),
        help: ArgumentHelp(
            "The CSV column that holds the labels or the target (class names or numbers, or values).",
            discussion:
                "Default: label when training; the model's own target columns when predicting or evaluating."
        ))
    var labelColumn: String?

    @Option(
        help: ArgumentHelp(
            "The CSV target columns, comma-separated (instead of --label-column).",
            discussion:
                "Several columns are a multi-output regression (numbers) or a multi-label task (every cell 0 or 1): --target y1,y2."
        ))
    var target: String?

    @Option(
        help: ArgumentHelp(
            "What the targets are: classification, regression or multilabel.",
            discussion:
                "Without it: text or few whole numbers are classes, numbers with a fraction are regression targets, several 0/1 columns are labels; many whole numbers (the diabetes data's 25…346) are refused until --task says which."
        ))
    var task: TaskKind?

    @Option(
        name: .customLong("ignore-column"),
        help:
            "A CSV column that is neither a feature nor the label (repeat for more; \"\" for one with an empty header)."
    )
    var ignoreColumns: [String] = []

    @Option(
        name: .customLong("hdf5-set"),
        help: ArgumentHelp(
            "For an HDF5 file that holds several sets, the one to read (test_set for test_set_x).",
            discussion:
                "Without it such a file is refused, except by train, which reads train_set from --train and --validation and test_set from --test."
        ))
    var hdf5Set: String?

    func validate() throws {
        if let target {
            let names = target.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard !names.contains("") else { throw ValidationError("--target \(target): a column name is empty") }
        }
    }

    /// Labelled data (training, evaluation); `role` is the set `train` reads from a file of several.
    /// With `targets` (a model's, the training data's), its targets are read as those: their kind,
    /// and their columns unless --target or --label-column names others.
    func load(_ path: String, role: String? = nil, like targets: KnownTargets? = nil) throws -> Dataset {
        try load(path, role: role, like: targets, shard: nil)
    }

    /// The data in `path`; with `shard`, only the examples `shard(m)` of its m.
    func load(_ path: String, role: String? = nil, like targets: KnownTargets? = nil, shard: ((Int) -> Range<Int>)?)
        throws -> Dataset
    {
        try Dataset.load(path, columns: columns(like: targets), hdf5Set: try set(of: path, role), shard: shard)
    }

    /// Data whose targets, if any, are not used; `id` names a column to carry through.
    func loadUnlabelled(_ path: String, id: String?, like targets: KnownTargets) throws -> Dataset {
        var columns = columns(like: targets)
        columns.labelsOptional = true
        columns.id = id
        return try Dataset.load(path, columns: columns, hdf5Set: hdf5Set)
    }

    /// The CSV columns' roles the flags give, for data of `targets` when they are known.
    private func columns(like known: KnownTargets?) -> CSVColumns {
        var targets = target.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        if targets == nil && labelColumn == nil, let known {
            targets = known.columns ?? (known.task.kind == .classification ? nil : known.task.names)
        }
        return CSVColumns(
            label: labelColumn ?? "label", targets: targets, task: self.task ?? known?.task.kind,
            ignored: ignoreColumns)
    }

    /// --hdf5-set, or `role` for an HDF5 file that holds several sets, `role` among them.
    private func set(of path: String, _ role: String?) throws -> String? {
        guard hdf5Set == nil, let role, ["h5", "hdf5"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
        else { return hdf5Set }
        let sets = try Dataset.hdf5Sets(path)
        return sets.count > 1 && sets.contains(role) ? role : nil
    }
}

/// Targets already known (a model's, or the training data's): their task, and the columns they
/// were read from, if any.
struct KnownTargets {
    let task: LearningTask
    let columns: [String]?

    init(_ model: DeepNeuralNetwork) { (task, columns) = (model.task, model.targetColumns) }
    init(_ data: Dataset) { (task, columns) = (data.task, data.targetColumns) }
}

/// Hidden layers written as a comma-separated list of sizes, each with an optional activation:
/// `20,7,5` or `20:tanh,7:relu,5:leaky-relu(0.2)`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    let sizes: [Int]
    /// The activation written after each size, if any (checked by `layers(default:)`).
    let activationNames: [String?]

    init(sizes: [Int], activationNames: [String?]) {
        self.sizes = sizes
        self.activationNames = activationNames
    }

    init?(argument: String) {
        let fields = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var sizes = [Int](), names = [String?]()
        for field in fields {
            let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let size = Int(parts[0]), size > 0 else { return nil }
            sizes.append(size)
            names.append(parts.count == 2 ? String(parts[1]) : nil)
        }
        guard !argument.isEmpty else { return nil }
        self.sizes = sizes
        self.activationNames = names
    }

    var description: String {
        zip(sizes, activationNames).map { size, name in name.map { "\(size):\($0)" } ?? "\(size)" }
            .joined(separator: ",")
    }

    /// The layers, each with its own activation or `activation`; a name that is not an activation
    /// is a usage error naming it.
    func layers(default activation: Activation) throws -> [Layer] {
        try zip(sizes, activationNames).map { size, name in
            guard let name else { return Layer(units: size, activation: activation) }
            do {
                return Layer(units: size, activation: try Activation(parsing: name))
            } catch let error as DNNError {
                throw ValidationError("--layers \(description): \(error.message)")
            }
        }
    }
}

extension InitializationScheme: ExpressibleByArgument {}
extension TaskKind: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
extension EngineSelection: ExpressibleByArgument {}
extension ParallelStrategy: ExpressibleByArgument {}
extension DropoutSeeding: ExpressibleByArgument {}

/// How training runs: precision, engine and threads, shared by `train` and `bench`.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("precision"), help: "Arithmetic of training: float64 (reproduces the course) or float32.")
    var precisionFlag: Precision?

    /// --precision, float64 when not given.
    var precision: Precision { precisionFlag ?? .float64 }

    @Option(
        help: ArgumentHelp(
            "The algorithm for the first layer.",
            discussion:
                "direct: updates W1, multiplying by X twice per iteration. dual: keeps W1 = W1(0) + C·Xᵀ through the m×m Gram matrix XᵀX, so iterations never touch X (far faster when features outnumber examples). auto: dual when it is cheaper and fits in memory."
        ))
    var engine: EngineSelection = .auto

    @Option(help: "At most this many threads for the large products. Default: all cores.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
    }
}

/// The network and its step size, shared by `train` and `bench`.
struct NetworkOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Hidden layer sizes, comma-separated, each with an optional activation after a colon.",
            discussion:
                "The course's L-layer model: 20,7,5 (the default); two-layer: 7. Per layer: 20:tanh,7:relu. The input size comes from the data, the output from its classes (one sigmoid unit for two, softmax for more)."
        ))
    var layers: HiddenLayers?

    @Option(
        help: ArgumentHelp(
            "The whole network as the course writes layers_dims: input, hidden sizes, output.",
            discussion:
                "12288,20,7,5,1 is --layers 20,7,5 on the cat data; the first size must be the data's features and the last 1 for two classes or K for K classes."
        ))
    var layerDims: HiddenLayers?

    @Option(
        help: ArgumentHelp(
            "The hidden layers' activation, where --layers names none.",
            discussion: "relu, leaky-relu (slope 0.01; leaky-relu(0.2) for another), tanh, sigmoid or identity."))
    var activation = "relu"

    @Option(help: "The learning rate α (default 0.0075, or the saved one with --resume).")
    var learningRate: Double?

    /// The course's L-layer model's learning rate.
    static let defaultLearningRate = 0.0075

    func validate() throws {
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate \(learningRate): must be a positive number")
        }
        if layers != nil && layerDims != nil { throw ValidationError("give --layers or --layer-dims, not both") }
        if let layerDims, layerDims.sizes.count < 2 {
            throw ValidationError("--layer-dims \(layerDims): needs the input size and the output size at least")
        }
        _ = try hiddenLayers()
    }

    /// The hidden layers, with their activations.
    func hiddenLayers() throws -> [Layer] {
        let fallback: Activation
        do {
            fallback = try Activation(parsing: activation)
        } catch let error as DNNError {
            throw ValidationError("--activation: \(error.message)")
        }
        if let layerDims {
            let hidden = HiddenLayers(
                sizes: Array(layerDims.sizes.dropFirst().dropLast()),
                activationNames: Array(layerDims.activationNames.dropFirst().dropLast()))
            return try hidden.layers(default: fallback)
        }
        return try (layers ?? HiddenLayers(argument: "20,7,5")!).layers(default: fallback)
    }

    /// The network for data of `inputs` features and `classes` classes (see `network(inputs:task:)`).
    func network(inputs: Int, classes: Int) throws -> Network {
        try network(inputs: inputs, task: .classification(classes: (0..<classes).map(String.init)))
    }

    /// The network for data of `inputs` features and `task`'s targets. `--layer-dims` must agree
    /// with both; `--layers` written as the course's layers_dims (the data's feature count first,
    /// one unit last) is refused with a hint, as it would add two layers the user did not mean.
    func network(inputs: Int, task: LearningTask) throws -> Network {
        let head = task.loss, outputs = task.outputUnits
        if let layerDims {
            guard layerDims.sizes.first == inputs else {
                throw DNNError("--layer-dims \(layerDims): the first size must be the data's \(inputs) features")
            }
            guard layerDims.sizes.last == outputs else {
                throw DNNError(
                    "--layer-dims \(layerDims): the last size must be \(outputs) for \(task.summary) (\(head.name) output)"
                )
            }
        }
        if let layers, layers.sizes.count >= 2, layers.sizes.first == inputs, layers.sizes.last == 1 {
            throw DNNError(
                "--layers \(layers): these look like the course's layers_dims (input and output sizes included); "
                    + "--layers takes the hidden sizes only: use --layer-dims \(layers)")
        }
        return Network(inputs: inputs, hidden: try hiddenLayers(), task: task)
    }
}

/// L2 and dropout, shared by `train` and `gradcheck`.
struct RegularizationOptions: ParsableArguments {
    @Option(help: "L2 regularisation λ: the cost gains λ/(2m)·Σ‖W‖², each dW gains (λ/m)·W (default 0).")
    var l2: Double?

    @Option(help: "Dropout on hidden layers: the probability of keeping a unit (default 1: no dropout).")
    var keepProb: Double?

    func validate() throws {
        if let l2, !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 \(l2): must be 0 or more") }
        if let keepProb, !(keepProb > 0 && keepProb <= 1) {
            throw ValidationError("--keep-prob \(keepProb): must be in (0, 1]")
        }
    }
}

/// The course's next part: regularisation, mini-batches and optimisers.
struct ImprovementOptions: ParsableArguments {
    @OptionGroup var regularization: RegularizationOptions

    @Option(
        help:
            "Dropout masks: fresh (new masks every iteration) or course (reseeded with 1 every forward pass, as the notebook)."
    )
    var dropoutSeeding: DropoutSeeding?

    @Option(help: "Train on mini-batches of this many examples, reshuffled before every epoch as the course does.")
    var miniBatchSize: Int?

    @Option(help: "Epochs of mini-batch training (instead of --iterations).")
    var epochs: Int?

    @Option(help: "The optimiser: gd (gradient descent, the default), momentum, adam or rmsprop.")
    var optimizer: String?

    @Option(help: "Momentum's and RMSprop's β.")
    var beta = 0.9

    @Option(help: "Adam's β1.")
    var beta1 = 0.9

    @Option(help: "Adam's β2.")
    var beta2 = 0.999

    @Option(help: "Adam's and RMSprop's ε, added after the square root.")
    var epsilon = 1e-8

    @Option(
        help: ArgumentHelp(
            "Learning-rate decay after each epoch (each iteration without mini-batches).",
            discussion:
                "none; inverse-time: α = α0 / (1 + rate·epoch) (the course's update_lr); scheduled: α = α0 / (1 + rate·floor(epoch / interval)) (its schedule_lr_decay)."
        ))
    var decay: String?

    @Option(help: "The decay rate of --decay.")
    var decayRate = 1.0

    @Option(help: "Epochs between steps of --decay scheduled.")
    var decayInterval = 1000

    func validate() throws {
        if let miniBatchSize, miniBatchSize < 1 {
            throw ValidationError("--mini-batch-size \(miniBatchSize): must be at least 1")
        }
        if let epochs {
            guard epochs >= 1 else { throw ValidationError("--epochs \(epochs): must be at least 1") }
            guard epochs <= 100_000_000 else { throw ValidationError("--epochs \(epochs): at most 100000000") }
        }
        for (name, value) in [("--beta", beta), ("--beta1", beta1), ("--beta2", beta2)] {
            guard (0..<1).contains(value) else { throw ValidationError("\(name) \(value): must be in [0, 1)") }
        }
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon \(epsilon): must be positive") }
        guard decayRate >= 0, decayRate.isFinite else {
            throw ValidationError("--decay-rate \(decayRate): must be 0 or more")
        }
        guard decayInterval >= 1 else { throw ValidationError("--decay-interval \(decayInterval): must be at least 1") }
        _ = try chosenOptimizer()
        _ = try chosenSchedule()
    }

    /// The optimiser named by --optimizer (gd when not given), with the settings it takes.
    func chosenOptimizer() throws -> Optimizer {
        let name = optimizer ?? "gd"
        do {
            return try Optimizer(
                named: name, settings: ["beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon])
        } catch let error as DNNError {
            throw ValidationError("--optimizer \(name): \(error.message)")
        }
    }

    /// The schedule named by --decay (none when not given), with its rate and interval.
    func chosenSchedule() throws -> LearningRateSchedule {
        let name = decay ?? "none"
        do {
            return try LearningRateSchedule(
                named: name, settings: ["rate": decayRate, "interval": Double(decayInterval)])
        } catch let error as DNNError {
            throw ValidationError("--decay \(name): \(error.message)")
        }
    }
}
