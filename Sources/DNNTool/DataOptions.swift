import ArgumentParser
import DNN

/// Where the examples come from, shared by the commands that read data.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("label-column"), help: "The CSV column that holds the 0/1 labels.")
    var labelColumn = "label"

    func load(_ path: String) throws -> Dataset {
        try Dataset.load(path, labelColumn: labelColumn)
    }
}

/// Hidden layers written as a comma-separated list of sizes, each with an optional activation:
/// `20,7,5` or `20:tanh,7:relu,5:leaky-relu(0.2)`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    let sizes: [Int]
    /// The activation written after each size, if any (checked by `layers(default:)`).
    let activationNames: [String?]

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
extension Precision: ExpressibleByArgument {}
extension EngineSelection: ExpressibleByArgument {}
extension ParallelStrategy: ExpressibleByArgument {}
extension DropoutSeeding: ExpressibleByArgument {}

/// How training runs: precision, engine and threads, shared by `train` and `bench`.
struct EngineOptions: ParsableArguments {
    @Option(help: "Arithmetic of training: float64 (reproduces the course) or float32.")
    var precision: Precision = .float64

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
                "The course's L-layer model: 20,7,5; two-layer: 7. Per layer: 20:tanh,7:relu. The input size comes from the data, the output from its classes (one sigmoid unit for two, softmax for more)."
        ))
    var layers = HiddenLayers(argument: "20,7,5")!

    @Option(
        help: ArgumentHelp(
            "The hidden layers' activation, where --layers names none.",
            discussion: "relu, leaky-relu (slope 0.01; leaky-relu(0.2) for another), tanh, sigmoid or identity."))
    var activation = "relu"

    @Option(help: "The learning rate α.")
    var learningRate = 0.0075

    func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate \(learningRate): must be a positive number")
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
        return try layers.layers(default: fallback)
    }

    /// The network for data of `inputs` features and `classes` classes.
    func network(inputs: Int, classes: Int) throws -> Network {
        Network(
            inputs: inputs, hidden: try hiddenLayers(), head: .forClasses(classes), classes: classes)
    }
}

/// L2 and dropout, shared by `train` and `gradcheck`.
struct RegularizationOptions: ParsableArguments {
    @Option(help: "L2 regularisation λ: the cost gains λ/(2m)·Σ‖W‖², each dW gains (λ/m)·W.")
    var l2 = 0.0

    @Option(help: "Dropout on hidden layers: the probability of keeping a unit (1 turns dropout off).")
    var keepProb = 1.0

    func validate() throws {
        guard l2 >= 0, l2.isFinite else { throw ValidationError("--l2 \(l2): must be 0 or more") }
        guard keepProb > 0, keepProb <= 1 else { throw ValidationError("--keep-prob \(keepProb): must be in (0, 1]") }
    }
}

/// The course's next part: regularisation, mini-batches and optimisers.
struct ImprovementOptions: ParsableArguments {
    @OptionGroup var regularization: RegularizationOptions

    @Option(
        help:
            "Dropout masks: fresh (new masks every iteration) or course (reseeded with 1 every forward pass, as the notebook)."
    )
    var dropoutSeeding: DropoutSeeding = .fresh

    @Option(help: "Train on mini-batches of this many examples, reshuffled before every epoch as the course does.")
    var miniBatchSize: Int?

    @Option(help: "Epochs of mini-batch training (instead of --iterations).")
    var epochs: Int?

    @Option(help: "The optimiser: gd (gradient descent), momentum or adam.")
    var optimizer = "gd"

    @Option(help: "Momentum's β.")
    var beta = 0.9

    @Option(help: "Adam's β1.")
    var beta1 = 0.9

    @Option(help: "Adam's β2.")
    var beta2 = 0.999

    @Option(help: "Adam's ε, added after the square root.")
    var epsilon = 1e-8

    @Option(
        help: ArgumentHelp(
            "Learning-rate decay after each epoch (each iteration without mini-batches).",
            discussion:
                "none; inverse-time: α = α0 / (1 + rate·epoch) (the course's update_lr); scheduled: α = α0 / (1 + rate·floor(epoch / interval)) (its schedule_lr_decay)."
        ))
    var decay = "none"

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
            guard miniBatchSize != nil else {
                throw ValidationError("--epochs goes with --mini-batch-size; full-batch training counts --iterations")
            }
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

    /// The optimiser named by --optimizer, with the settings it takes.
    func chosenOptimizer() throws -> Optimizer {
        do {
            return try Optimizer(
                named: optimizer, settings: ["beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon])
        } catch let error as DNNError {
            throw ValidationError("--optimizer \(optimizer): \(error.message)")
        }
    }

    /// The schedule named by --decay, with its rate and interval.
    func chosenSchedule() throws -> LearningRateSchedule {
        do {
            return try LearningRateSchedule(
                named: decay, settings: ["rate": decayRate, "interval": Double(decayInterval)])
        } catch let error as DNNError {
            throw ValidationError("--decay \(decay): \(error.message)")
        }
    }
}
