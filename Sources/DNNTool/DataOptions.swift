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
