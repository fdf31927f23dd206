import ArgumentParser
import DNN
import Foundation

struct GradCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradcheck",
        abstract: "Check backpropagation against centred finite differences, as the course does.",
        discussion: """
            Compares the training engine's gradients with (J(θ+ε) − J(θ−ε)) / 2ε for every parameter and \
            prints the relative difference ‖g − g̃‖ / (‖g‖ + ‖g̃‖) per parameter and overall, with the \
            course's verdict (below 2e-7 fine, above 1e-3 a mistake). With --keep-prob below 1 the dropout \
            masks are held fixed. It takes two forward passes per parameter: use small models.

              dnn gradcheck --data football_train.csv --layers 20,3 --l2 0.7
              dnn gradcheck --model model.json --data points.csv --keep-prob 0.86
            """)

    @Option(help: "A model file to check; without it, a new model of --layers drawn by --init.")
    var model: String?

    @Option(help: "Labelled data (.h5 or .csv). Default: the built-in flower data set.")
    var data: String?

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Hidden layer sizes of a new model, comma-separated, each with an optional activation (20:tanh).")
    var layers = HiddenLayers(argument: "20,3")!

    @Option(help: "The hidden layers' activation where --layers names none: relu, leaky-relu, tanh, sigmoid, identity.")
    var activation = "relu"

    @Option(help: "How a new model's weights are drawn.")
    var `init`: InitializationScheme = .he

    @Option(help: "Seed for a new model's weights. Default: the course's seed for --init.")
    var seed: UInt32?

    @OptionGroup var regularization: RegularizationOptions

    @Option(help: "The step ε of the centred differences.")
    var epsilon = 1e-7

    func validate() throws {
        _ = try hiddenLayers()
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon \(epsilon): must be positive") }
    }

    private func hiddenLayers() throws -> [Layer] {
        do {
            return try layers.layers(default: try Activation(parsing: activation))
        } catch let error as DNNError {
            throw ValidationError("--activation: \(error.message)")
        }
    }

    func run() throws {
        let (l2, keepProb) = (regularization.l2 ?? 0, regularization.keepProb ?? 1)
        let saved = try model.map { try DeepNeuralNetwork(contentsOf: $0) }
        var examples = try data.map { try dataOptions.load($0, like: saved.map(KnownTargets.init)) } ?? Dataset.flower()
        if let saved {
            examples = try examples.relabeled(for: saved.task, of: "the model", source: data ?? "flower data")
        }
        let network =
            try saved
            ?? DeepNeuralNetwork(
                network: Network(inputs: examples.featureCount, hidden: hiddenLayers(), task: examples.task),
                initialization: `init`, seed: seed, task: examples.task)
        try network.checkInput(examples.X, source: data ?? "flower data")
        let check = try GradientCheck(
            model: network, X: examples.X, Y: examples.Y, l2: l2, keepProb: keepProb, epsilon: epsilon)
        var settings = ["ε \(epsilon)"]
        if l2 > 0 { settings.append("L2 λ \(l2)") }
        if keepProb < 1 { settings.append("dropout keep_prob \(keepProb), masks fixed") }
        print(
            "Gradient check of \(network.layerSizes) on \(examples.exampleCount) examples (\(data ?? "built-in flower data")), \(settings.joined(separator: ", "))"
        )
        print("")
        // NaN prints as "-nan" or "nan" by its sign bit, in C's %e and in Swift alike: "nan" always.
        func format(_ value: Double) -> String {
            value.isNaN ? "nan" : value.isFinite ? String(format: "%.3e", value) : "\(value)"
        }
        printTable(
            [["Parameter", "Entries", "Relative difference"]]
                + check.entries.map { [$0.name, "\($0.count)", format($0.difference)] }
                + [["all", "\(check.entries.reduce(0) { $0 + $1.count })", format(check.overall)]])
        print("")
        print(check.verdict)
    }
}
