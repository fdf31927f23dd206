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

/// Hidden layer sizes written as a comma-separated list: `20,7,5`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    let sizes: [Int]

    init?(argument: String) {
        let fields = argument.split(separator: ",", omittingEmptySubsequences: false)
        let sizes = fields.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !argument.isEmpty, sizes.count == fields.count, sizes.allSatisfy({ $0 > 0 }) else { return nil }
        self.sizes = sizes
    }

    var description: String { sizes.map(String.init).joined(separator: ",") }
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
    @Option(help: "Hidden layer sizes, comma-separated (the course's L-layer model: 20,7,5; two-layer: 7).")
    var layers = HiddenLayers(argument: "20,7,5")!

    @Option(help: "The learning rate α.")
    var learningRate = 0.0075

    func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate \(learningRate): must be a positive number")
        }
    }

    /// n[0], the hidden sizes, and one output unit.
    func layerSizes(inputs: Int) -> [Int] { [inputs] + layers.sizes + [1] }
}

/// The optimiser's name on the command line.
enum OptimizerName: String, ExpressibleByArgument, CaseIterable {
    case gd, momentum, adam
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
    var optimizer: OptimizerName = .gd

    @Option(help: "Momentum's β.")
    var beta = 0.9

    @Option(help: "Adam's β1.")
    var beta1 = 0.9

    @Option(help: "Adam's β2.")
    var beta2 = 0.999

    @Option(help: "Adam's ε, added after the square root.")
    var epsilon = 1e-8

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
    }

    var chosenOptimizer: Optimizer {
        switch optimizer {
        case .gd: .gradientDescent
        case .momentum: .momentum(beta: beta)
        case .adam: .adam(beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}
