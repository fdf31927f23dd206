import ArgumentParser
import DNN
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model: any stack of layers, two classes or more, any optimiser.",
        discussion: """
            The network is [LINEAR -> ACTIVATION] for each hidden layer of --layers (relu unless \
            --activation or the layer says otherwise), then LINEAR -> SIGMOID for two classes or \
            LINEAR -> SOFTMAX for three or more; the input size comes from the data, the classes from its \
            labels. Data files are the course's HDF5 (.h5) or CSV with a header row (.csv); with no \
            --train, the course's planar "flower" data set (400 points in the plane) is used.

            The course's two runs use the default settings (learning rate 0.0075, 2500 iterations):

              dnn train --train train_catvnoncat.h5 --test test_catvnoncat.h5 --layers 7
              dnn train --train train_catvnoncat.h5 --test test_catvnoncat.h5

            The course's week-3 planar classifier, a tanh hidden layer of 4 units:

              dnn train --layers 4 --activation tanh --init two-layer --seed 2 --learning-rate 1.2 --iterations 10000
            """)

    @Option(help: "Training data (.h5 or .csv). Default: the built-in flower data set.")
    var train: String?

    @Option(help: "Test data, evaluated after training (.h5 or .csv).")
    var test: String?

    @OptionGroup var data: DataOptions

    @OptionGroup var network: NetworkOptions

    @Option(help: "Gradient-descent iterations.")
    var iterations = 2500

    @Option(
        help: ArgumentHelp(
            "How the first weights are drawn.",
            discussion:
                "course: two-layer for one hidden layer, l-layer for more. step-by-step and two-layer: randn x 0.01; l-layer: randn / sqrt(n[l-1]); he: randn x sqrt(2/n[l-1]); xavier: randn x sqrt(1/n[l-1])."
        ))
    var `init`: InitializationScheme = .course

    @Option(help: "Seed of numpy's generator for the initial weights. Default: the course's seed for --init.")
    var seed: UInt32?

    @Option(help: "Print the cost every this many iterations.")
    var printEvery = 100

    @OptionGroup var engineOptions: EngineOptions

    @OptionGroup(title: "The course's next part") var improvements: ImprovementOptions

    @Option(help: "Write the trained model to this file (JSON).")
    var output: String?

    @Option(
        help:
            "Continue training a saved model (its parameters and optimiser state) instead of drawing a new one; --layers, --init and --seed are then not used."
    )
    var resume: String?

    @Option(help: "Write the reported costs to this file: CSV (.csv) or JSON lines (.jsonl).")
    var log: String?

    @Option(help: "Draw the cost curve into this SVG file.")
    var plot: String?

    @Option(help: "For two-feature data, draw the decision boundary over the training data into this SVG file.")
    var boundaryPlot: String?

    @Option(help: "Write a self-contained HTML training report to this file.")
    var report: String?

    func validate() throws {
        guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): must be at least 1") }
        guard iterations <= 100_000_000 else {
            throw ValidationError("--iterations \(iterations): at most 100000000")
        }
        guard printEvery >= 1 else { throw ValidationError("--print-every \(printEvery): must be at least 1") }
        if let log, !(log.hasSuffix(".csv") || log.hasSuffix(".jsonl")) {
            throw ValidationError("--log \(log): the name must end in .csv or .jsonl")
        }
    }

    func run() throws {
        let trainSet = try train.map(data.load) ?? Dataset.flower()
        let testSet = try test.map(data.load)
        if let testSet, testSet.featureCount != trainSet.featureCount {
            throw DNNError(
                "\(test!): \(testSet.featureCount) features per example, but the training data has \(trainSet.featureCount)"
            )
        }
        for path in [output, log, plot, boundaryPlot, report].compactMap({ $0 }) {
            try requireWritableDirectory(for: path)
        }
        if boundaryPlot != nil && trainSet.featureCount != 2 {
            throw DNNError("--boundary-plot needs two features; the training data has \(trainSet.featureCount)")
        }

        let trainSource = train ?? "flower data"
        let present = trainSet.classesPresent
        guard present.count >= 2 else {
            throw DNNError(
                "\(trainSource): every example has label \(present[0]); a classifier needs two classes or more")
        }
        if let testSet, testSet.classCount > trainSet.classCount {
            let label = testSet.classesPresent.last!
            throw DNNError(
                "\(test!): label \(label) is not one of the training data's classes 0…\(trainSet.classCount - 1)")
        }
        var model: DeepNeuralNetwork
        if let resume {
            model = try DeepNeuralNetwork(contentsOf: resume)
            try model.checkInput(trainSet.X, source: trainSource)
            guard model.network.classes >= trainSet.classCount else {
                throw DNNError(
                    "\(trainSource): \(trainSet.classCount) classes, but the model \(resume) tells \(model.network.classes) apart"
                )
            }
        } else {
            model = try DeepNeuralNetwork(
                network: network.network(inputs: trainSet.featureCount, classes: trainSet.classCount),
                initialization: `init`, seed: seed, classNames: trainSet.classNames)
            model.inputShape = trainSet.imageShape
        }
        let sizes = model.layerSizes
        let console = Console()
        console.line("Training \(sizes) on \(trainSet.exampleCount) examples (\(train ?? "built-in flower data")).")
        let start = Date()
        let passes = improvements.epochs ?? iterations
        let options = TrainingOptions(
            learningRate: network.learningRate, iterations: passes, miniBatchSize: improvements.miniBatchSize,
            optimizer: try improvements.chosenOptimizer(), schedule: try improvements.chosenSchedule(),
            l2: improvements.regularization.l2,
            keepProb: improvements.regularization.keepProb,
            dropoutSeeding: improvements.dropoutSeeding, dropoutSeed: model.initialization?.seed ?? 1,
            reportEvery: printEvery, precision: engineOptions.precision, engine: engineOptions.engine,
            threads: engineOptions.threads)
        let unit = improvements.miniBatchSize == nil ? "iteration" : "epoch"
        let costs = try model.train(
            trainSet.X, trainSet.Y, options: options,
            report: { record in
                console.line("Cost after \(unit) \(record.iteration): \(String(format: "%f", record.cost))")
                // As the course's notebook prints a decayed rate, after the cost.
                if let rate = record.learningRate {
                    console.line("learning rate after \(unit) \(record.iteration): \(String(format: "%f", rate))")
                }
            },
            progress: { record in console.progress(record, of: passes, since: start) })
        console.finishProgress()
        let elapsed = Date().timeIntervalSince(start)
        console.line("Trained in \(String(format: "%.2f", elapsed)) s.")
        console.line("Train accuracy: \(try model.accuracy(trainSet.X, trainSet.Y))")
        if let testSet {
            console.line("Test accuracy: \(try model.accuracy(testSet.X, testSet.Y))")
        }
        if let log { try writeCostLog(costs, to: log) }
        if let plot {
            let curve = CostCurvePlot(
                runs: [.init(label: "training", costs: costs)], learningRate: network.learningRate)
            try writeFileAtomically(Data(curve.svg().utf8), to: plot)
            console.line("Cost curve written to \(plot).")
        }
        if let boundaryPlot {
            let svg = try DecisionBoundaryPlot(model: model, X: trainSet.X, Y: trainSet.Y).svg()
            try writeFileAtomically(Data(svg.utf8), to: boundaryPlot)
            console.line("Decision boundary written to \(boundaryPlot).")
        }
        if let report {
            var measured = [
                TrainingReport.Measured(
                    name: "Training data", data: trainSet, evaluation: try Evaluation(model: model, data: trainSet))
            ]
            if let testSet {
                measured.append(
                    .init(name: "Test data", data: testSet, evaluation: try Evaluation(model: model, data: testSet)))
            }
            let settings = [
                ("Training data", train ?? "built-in flower data (\(trainSet.exampleCount) points)"),
                ("Test data", test ?? "none"), ("Layers", "\(sizes)"),
                ("Hidden activations", model.network.activations.map(\.name).joined(separator: ", ")),
                ("Output", "\(model.network.head.name), \(model.network.classes) classes"),
                ("Optimizer", "\(options.optimizer)"), ("Learning rate", "\(network.learningRate)"),
                ("Learning-rate decay", "\(options.schedule)"),
                (improvements.miniBatchSize == nil ? "Iterations" : "Epochs", "\(passes)"),
                (
                    "Initialisation",
                    model.initialization.map { "\($0.scheme.rawValue), seed \($0.seed)" }
                        ?? "from \(resume ?? "parameters")"
                ),
                ("Precision", engineOptions.precision.rawValue), ("Engine", model.training!.engine!.rawValue),
                ("Training time", String(format: "%.2f s", elapsed)),
            ]
            let html = try TrainingReport(
                title: "Training report", model: model, settings: settings, measured: measured
            ).html()
            try writeFileAtomically(Data(html.utf8), to: report)
            console.line("Report written to \(report).")
        }
        if let output {
            try model.save(to: output)
            console.line("Model written to \(output).")
        }
    }
}

/// The reported costs as CSV (`iteration,cost`) or JSON lines, at full precision.
func writeCostLog(_ costs: [CostRecord], to path: String) throws {
    let text: String
    if path.hasSuffix(".csv") {
        text = "iteration,cost\n" + costs.map { "\($0.iteration),\($0.cost)\n" }.joined()
    } else {
        text = costs.map { "{\"iteration\":\($0.iteration),\"cost\":\($0.cost)}\n" }.joined()
    }
    try writeFileAtomically(Data(text.utf8), to: path)
}
