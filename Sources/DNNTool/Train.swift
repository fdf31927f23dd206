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

            Your own CSV: standardise unscaled features and hold out a fifth for validation; add \
            --early-stopping 20 to stop when the validation cost stops improving:

              dnn train --train a.csv --standardize --validation-fraction 0.2

            With --resume, training continues from a saved model with its saved settings (optimiser, \
            learning rate, mini-batches, schedule, L2, dropout, standardisation); a flag given again \
            overrides its setting, and the command says so.
            """)

    // The basic options first: plain options are listed in declaration order.

    @Option(help: "Training data (.h5 or .csv). Default: the built-in flower data set.")
    var train: String?

    @Option(help: "Test data, evaluated after training (.h5 or .csv).")
    var test: String?

    @OptionGroup var network: NetworkOptions

    @Option(help: "Full-batch iterations (default 2500); with --mini-batch-size, see --epochs.")
    var iterations: Int?

    @Option(
        help: ArgumentHelp(
            "How the first weights are drawn.",
            discussion:
                "course: two-layer for one hidden layer, l-layer for more. step-by-step and two-layer: randn x 0.01; l-layer: randn / sqrt(n[l-1]); he: randn x sqrt(2/n[l-1]); xavier: randn x sqrt(1/n[l-1]); zeros; random: randn x 10."
        ))
    var `init`: InitializationScheme = .course

    @Option(help: "Seed of numpy's generator for the initial weights. Default: the course's seed for --init.")
    var seed: UInt32?

    @Flag(
        help:
            "Standardise each feature by the training data's mean and standard deviation; the model keeps them and applies them to every input."
    )
    var standardize = false

    @Option(help: "Validation data (.h5 or .csv), measured after every pass.")
    var validation: String?

    @Option(help: "Hold out this fraction of the training data for validation (stratified, seeded).")
    var validationFraction: Double?

    @Option(help: "Stop when the validation cost has not improved for this many passes, and keep the best parameters.")
    var earlyStopping: Int?

    @Option(help: "Print the cost every this many iterations (or epochs).")
    var printEvery = 100

    @Flag(help: "Print only the final lines (accuracies and files written).")
    var quiet = false

    @Flag(
        help: ArgumentHelp(
            "Train as one process of an MPI job: mpirun -np N dnn train --distributed ….",
            discussion:
                "Each process trains on its shard of the examples and the shards' gradients are summed after "
                + "every iteration, so the run equals one process's (full batches, direct path). Only rank 0 "
                + "prints and writes. See docs/distributed.md."))
    var distributed = false

    @Option(help: "Write the trained model to this file (JSON).")
    var output: String?

    @Option(help: "Write the cost of every pass to this file: CSV (.csv) or JSON lines (.jsonl).")
    var log: String?

    @Option(help: "Draw the cost curve into this SVG file.")
    var plot: String?

    @Option(help: "For two-feature data, draw the decision boundary over the training data into this SVG file.")
    var boundaryPlot: String?

    @Option(help: "Write a self-contained HTML training report to this file.")
    var report: String?

    @Option(
        help:
            "Continue training a saved model with its parameters, optimiser state and settings; --layers, --init and --seed are then not used."
    )
    var resume: String?

    @OptionGroup var data: DataOptions

    // Untitled groups: ArgumentParser lists titled groups before the plain options, and the basic
    // options should come first.
    @OptionGroup var engineOptions: EngineOptions

    /// The course's next part: regularisation, mini-batches, optimisers, decay.
    @OptionGroup var improvements: ImprovementOptions

    func validate() throws {
        if let iterations {
            guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): must be at least 1") }
            guard iterations <= 100_000_000 else {
                throw ValidationError("--iterations \(iterations): at most 100000000")
            }
        }
        guard printEvery >= 1 else { throw ValidationError("--print-every \(printEvery): must be at least 1") }
        if let log, !(log.hasSuffix(".csv") || log.hasSuffix(".jsonl")) {
            throw ValidationError("--log \(log): the name must end in .csv or .jsonl")
        }
        if distributed {
            // These read the whole training set in one process.
            for (given, flag) in [
                (validation != nil, "--validation"), (validationFraction != nil, "--validation-fraction"),
                (earlyStopping != nil, "--early-stopping"), (standardize, "--standardize"),
                (boundaryPlot != nil, "--boundary-plot"), (report != nil, "--report"),
            ] where given {
                throw ValidationError("\(flag) is not distributed yet; leave out --distributed or \(flag)")
            }
        }
        if let validationFraction, !(validationFraction > 0 && validationFraction < 1) {
            throw ValidationError("--validation-fraction \(validationFraction): must be between 0 and 1")
        }
        if validation != nil && validationFraction != nil {
            throw ValidationError("give --validation or --validation-fraction, not both")
        }
        if let earlyStopping {
            guard earlyStopping >= 1 else {
                throw ValidationError("--early-stopping \(earlyStopping): must be at least 1")
            }
            guard validation != nil || validationFraction != nil else {
                throw ValidationError(
                    "--early-stopping needs validation data: --validation FILE or --validation-fraction F")
            }
        }
        if improvements.epochs != nil && improvements.miniBatchSize == nil && resume == nil {
            throw ValidationError("--epochs goes with --mini-batch-size; full-batch training counts --iterations")
        }
    }

    func run() throws {
        // Every output is checked before any work: a new file or a regular, writable one, none of
        // them an input or another output.
        let outputs = [output, log, plot, boundaryPlot, report].compactMap { $0 }
        let inputs = [train, test, validation, resume].compactMap { $0 }
        for (index, path) in outputs.enumerated() {
            let name = URL(fileURLWithPath: path).standardized.path
            if outputs[..<index].contains(where: { URL(fileURLWithPath: $0).standardized.path == name }) {
                throw DNNError("\(path): named for two outputs of this command")
            }
            try requireWritableOutput(path, inputs: inputs + outputs[..<index])
        }
        let communicator = distributed ? try Communicator.world() : nil
        defer { communicator?.finish() }
        do {
            try trainModel(communicator)
        } catch let error as JobError {
            // Every process raised it alike: rank 0 says it and fails, and the others end
            // quietly once it has (a barrier) with status 0, so that mpirun, which ends the job
            // when the first process fails, ends it on rank 0, whose line it has already taken.
            let rank = communicator?.rank ?? 0
            if rank == 0 { FileHandle.standardError.write(Data("dnn: \(terminalSafe(error.message))\n".utf8)) }
            try? communicator?.barrier()
            throw rank == 0 ? ExitCode.failure : ExitCode.success
        }
    }

    /// The training itself, as one process of `communicator`'s job when distributed.
    private func trainModel(_ communicator: Communicator?) throws {
        let trainSource = train ?? "flower data"
        // Distributed: this process reads its contiguous shard of the training examples (all of
        // them when there are fewer than processes: the agreement below refuses that alike on
        // every process, where an empty shard would fail on some of them only).
        let fileExamples = ExampleCount()
        let shard = communicator.map { communicator in
            { (count: Int) in
                fileExamples.value = count
                return count < communicator.size ? 0..<count : communicator.shard(of: count)
            }
        }
        // A resumed model says what its targets are: the data is read as its task's.
        let resumed = try resume.map { try DeepNeuralNetwork(contentsOf: $0) }
        var trainSet =
            try train.map { try data.load($0, role: "train_set", like: resumed.map(KnownTargets.init), shard: shard) }
            ?? Dataset.flower().examples(shard: shard)
        if let communicator { try requireAgreement(communicator, trainSet, examples: fileExamples.value) }
        if let resumed, let resume {
            try resumed.checkInput(trainSet.features, source: trainSource)
            trainSet = try trainSet.relabeled(for: resumed.task, of: "the model \(resume)", source: trainSource)
        }
        // Test and validation data in the training data's terms: class k, target row r the same.
        func held(_ path: String, _ role: String) throws -> Dataset {
            let set = try data.load(path, role: role, like: KnownTargets(trainSet))
            try requireSameColumns(set, path, as: trainSet)
            return try set.relabeled(for: trainSet.task, of: "the training data", source: path)
        }
        let testSet = try test.map { try held($0, "test_set") }
        var validationSet = try validation.map { try held($0, "train_set") }
        if let validationFraction {
            (trainSet, validationSet) = try trainSet.split(validationFraction: validationFraction)
        }
        if boundaryPlot != nil && trainSet.featureCount != 2 {
            throw DNNError("--boundary-plot needs two features; the training data has \(trainSet.featureCount)")
        }
        if boundaryPlot != nil && trainSet.task.kind != .classification {
            throw DNNError(
                "--boundary-plot draws classes; the training data's targets are a \(trainSet.task.kind.rawValue)'s")
        }
        if boundaryPlot != nil && trainSet.classCount > DecisionBoundaryPlot.maximumClasses {
            throw DNNError(
                "--boundary-plot draws at most \(DecisionBoundaryPlot.maximumClasses) classes; the training data has \(trainSet.classCount)"
            )
        }
        if trainSet.task.kind == .classification {
            let present = trainSet.classesPresent
            guard present.count >= 2 || communicator != nil else {
                throw DNNError(
                    "\(trainSource): every example has label \(trainSet.classNames[present[0]]); a classifier needs two classes or more"
                )
            }
        }

        var model: DeepNeuralNetwork
        // Every process runs the same command; rank 0 alone speaks and writes.
        let speaks = (communicator?.rank ?? 0) == 0
        if communicator != nil && speaks {
            // mpirun ends every process with SIGTERM when one of them fails or is killed.
            TemporaryFiles.sayOnInterrupt(
                "dnn: training stopped: another process of the MPI job failed or was killed; no output was written")
        }
        let console = Console(quiet: quiet, silent: !speaks)
        if let resume, let resumed {
            model = resumed
            // The features must be the model's, in its order: columns in another order would be
            // trained on as if they were the saved ones.
            if let expected = model.featureNames, let given = trainSet.featureNames, expected != given {
                do {
                    _ = try model.aligned(trainSet, source: trainSource)
                } catch let error as DNNError {
                    // train has no --match-columns: the columns must be the model's, in its order.
                    throw DNNError(
                        error.message.components(separatedBy: "; pass --match-columns")[0]
                            + "; --resume needs the model's columns in its order")
                }
            }
            if standardize && model.standardization == nil {
                throw DNNError("--standardize: \(resume) was trained on unstandardised data; it cannot change now")
            }
        } else {
            let fresh = try network.network(inputs: trainSet.featureCount, task: trainSet.task)
            try fresh.validate()
            // Before the parameters are drawn: they may fit in memory when training them would not.
            try fresh.requireTrainingMemory(
                examples: trainSet.exampleCount, options: settings(resuming: nil, dropoutSeed: 1).0)
            model = try DeepNeuralNetwork(
                network: fresh, initialization: `init`, seed: seed, task: trainSet.task)
            model.inputShape = trainSet.imageShape
            model.featureNames = trainSet.featureNames
            model.targetColumns = trainSet.targetColumns
            if standardize {
                model.standardization = Standardization(fitting: trainSet.features)
                // A regression's targets too: the cost is then on their standardised scale.
                if trainSet.task.kind == .regression {
                    model.targetStandardization = Standardization(fitting: trainSet.Y)
                }
            }
        }
        if model.standardization == nil && trainSet.imageShape == nil
            && Standardization.looksUnscaled(trainSet.features)
        {
            console.warning(
                "\(trainSource): features are unscaled (a mean or spread above 10); consider --standardize")
        }
        let (options, overrides) = try settings(
            resuming: resume == nil ? nil : model.training, dropoutSeed: model.initialization?.seed ?? 1)
        for line in overrides { console.line(line) }

        let sizes = model.layerSizes
        console.progressLine(
            "Training \(sizes) on \(trainSet.exampleCount) examples (\(train ?? "built-in flower data")).")
        let start = Date()
        let unit = options.miniBatchSize == nil ? "iteration" : "epoch"
        let validationData = validationSet.map { Validation(X: $0.X, Y: $0.Y, patience: earlyStopping) }
        let passesBefore = model.training?.iterations ?? 0
        if let communicator {
            // A --resume model that differs between machines would give each process other steps.
            var agreement = JobAgreement()
            agreement.add(
                "the model and its settings (--resume)",
                "\(model.layerSizes) \(model.network.activations) \(options.learningRate) \(options.iterations) "
                    + "\(options.miniBatchSize ?? 0) \(options.optimizer) \(options.schedule) \(options.l2) "
                    + "\(options.keepProb) \(options.precision) \(passesBefore) \(model.optimizerState?.step ?? 0)")
            try agreement.require(over: communicator)
        }
        try model.train(
            trainSet.features, trainSet.Y, options: options, validation: validationData, communicator: communicator,
            report: { record in
                var text = "Cost after \(unit) \(record.iteration): \(String(format: "%f", record.cost))"
                if let cost = record.validationCost, let accuracy = record.validationAccuracy {
                    text += String(format: "  validation cost %f, accuracy %.4f", cost, accuracy)
                } else if let cost = record.validationCost {
                    text += String(format: "  validation cost %f", cost)
                }
                console.progressLine(text)
                // As the course's notebook prints a decayed rate, after the cost.
                if let rate = record.learningRate {
                    console.progressLine(
                        "learning rate after \(unit) \(record.iteration): \(String(format: "%f", rate))")
                }
            },
            progress: { record in
                console.progress(
                    record, done: record.iteration - passesBefore + 1, of: options.iterations, since: start)
                return .proceed
            })
        console.finishProgress()
        let elapsed = Date().timeIntervalSince(start)
        let training = model.training!
        if let reason = training.stopReason { console.line("Training stopped: \(reason).") }
        if let restored = training.restoredPass, let best = training.validationHistory?.min() {
            console.line(
                "Kept the parameters of \(unit) \(restored), the best validation cost (\(String(format: "%f", best))).")
        }
        console.progressLine("Trained in \(String(format: "%.2f", elapsed)) s.")
        let trainScore = try score(model, trainSet, "Train", communicator)
        guard speaks else { return }
        console.line(trainScore)
        if let validationSet { console.line(try score(model, validationSet, "Validation", nil)) }
        if let testSet { console.line(try score(model, testSet, "Test", nil)) }
        try writeOutputs(model, trainSet, testSet, validationSet, options, elapsed, console)
    }

    /// Distributed: every process must run this command on the same data, with an example each
    /// at least; checked collectively before any step, so that the job stops at once, with one line.
    private func requireAgreement(_ communicator: Communicator, _ trainSet: Dataset, examples: Int) throws {
        var agreement = JobAgreement()
        agreement.add("the command line", CommandLine.arguments.dropFirst().joined(separator: "\u{0}"))
        agreement.add("the training data's examples", examples)
        agreement.add("the training data's features", trainSet.featureCount)
        agreement.add(
            "the training data's targets", "\(trainSet.task.kind) " + trainSet.task.names.joined(separator: "\u{0}"))
        try agreement.require(over: communicator)
        guard examples >= communicator.size else {
            throw JobError(
                message: "\(communicator.size) processes for \(examples) training examples: each needs one at least; "
                    + "run at most \(examples) processes")
        }
    }

    /// The training options: the flags, or with --resume the saved settings where no flag is given
    /// (with a line for each flag that changes a saved setting).
    private func settings(resuming saved: TrainingRecord?, dropoutSeed: UInt32) throws -> (
        TrainingOptions, [String]
    ) {
        var overrides = [String]()
        func pick<T: Equatable>(_ flag: T?, _ savedValue: T?, _ fallback: T, _ name: String) -> T {
            guard saved != nil else { return flag ?? fallback }
            let kept = savedValue ?? fallback
            guard let flag else { return kept }
            if flag != kept { overrides.append("Resuming with \(name) \(flag) instead of the saved \(kept).") }
            return flag
        }
        let flagOptimizer = improvements.optimizer == nil ? nil : try improvements.chosenOptimizer()
        let flagSchedule = improvements.decay == nil ? nil : try improvements.chosenSchedule()
        var miniBatch = improvements.miniBatchSize
        if let saved {
            if let flag = miniBatch, flag != saved.miniBatchSize {
                overrides.append(
                    "Resuming with --mini-batch-size \(flag) instead of the saved \(saved.miniBatchSize.map(String.init) ?? "full batch")."
                )
            }
            miniBatch = miniBatch ?? saved.miniBatchSize
        }
        let passes: Int
        if miniBatch != nil {
            passes = improvements.epochs ?? iterations ?? 2500
        } else {
            if improvements.epochs != nil {
                throw ValidationError("--epochs goes with --mini-batch-size; full-batch training counts --iterations")
            }
            passes = iterations ?? 2500
        }
        let options = TrainingOptions(
            learningRate: pick(
                network.learningRate, saved?.learningRate, NetworkOptions.defaultLearningRate, "--learning-rate"),
            iterations: passes, miniBatchSize: miniBatch,
            optimizer: pick(flagOptimizer, saved?.optimizer, .gradientDescent, "--optimizer"),
            schedule: pick(flagSchedule, saved?.schedule, .constant, "--decay"),
            l2: pick(improvements.regularization.l2, saved?.l2, 0, "--l2"),
            keepProb: pick(improvements.regularization.keepProb, saved?.keepProb, 1, "--keep-prob"),
            dropoutSeeding: pick(improvements.dropoutSeeding, saved?.dropoutSeeding, .fresh, "--dropout-seeding"),
            dropoutSeed: dropoutSeed, reportEvery: printEvery,
            precision: pick(engineOptions.precisionFlag, saved?.precision, .float64, "--precision"),
            engine: engineOptions.engine, threads: engineOptions.threads)
        return (options, overrides)
    }

    /// Test and validation files must have the training file's features, by name where both name them.
    private func requireSameColumns(_ set: Dataset, _ path: String, as trainSet: Dataset) throws {
        if let names = set.featureNames, let expected = trainSet.featureNames, names != expected {
            throw DNNError(
                "\(path): its feature columns (\(elided(names.joined(separator: ",")))) are not the training data's (\(elided(expected.joined(separator: ","))))"
            )
        }
        guard set.featureCount == trainSet.featureCount else {
            throw DNNError(
                "\(path): \(set.featureCount) features per example, but the training data has \(trainSet.featureCount)")
        }
    }

    private func writeOutputs(
        _ model: DeepNeuralNetwork, _ trainSet: Dataset, _ testSet: Dataset?, _ validationSet: Dataset?,
        _ options: TrainingOptions, _ elapsed: Double, _ console: Console
    ) throws {
        // Everything is made first and written together: a failure leaves no file behind.
        let training = model.training!
        var files = OutputFiles()
        var written = [String]()
        if let log {
            files.add(costLog(training, csv: log.hasSuffix(".csv")), to: log)
            written.append("Cost log written to \(log).")
        }
        if let plot {
            var runs = [CostCurvePlot.Run(label: "training", costs: training.passCosts)]
            if let validation = training.validationPassCosts {
                runs.append(.init(label: "validation", costs: validation))
            }
            let curve = CostCurvePlot(runs: runs, learningRate: options.learningRate)
            files.add(Data(curve.svg().utf8), to: plot)
            written.append("Cost curve written to \(plot).")
        }
        if let boundaryPlot {
            let svg = try DecisionBoundaryPlot(model: model, X: trainSet.X, Y: trainSet.Y).svg()
            files.add(Data(svg.utf8), to: boundaryPlot)
            written.append("Decision boundary written to \(boundaryPlot).")
        }
        if let report {
            var measured = [
                TrainingReport.Measured(
                    name: "Training data", data: trainSet, result: try ModelEvaluation(model: model, data: trainSet))
            ]
            for (name, set) in [("Validation data", validationSet), ("Test data", testSet)] {
                guard let set else { continue }
                measured.append(.init(name: name, data: set, result: try ModelEvaluation(model: model, data: set)))
            }
            let html = try TrainingReport(
                title: "Training report", model: model, settings: reportSettings(model, trainSet, options, elapsed),
                measured: measured
            ).html()
            files.add(Data(html.utf8), to: report)
            written.append("Report written to \(report).")
        }
        if let output {
            files.add(try model.fileData(), to: output)
            written.append("Model written to \(output).")
        }
        try files.commit()
        for line in written { console.line(line) }
    }

    private func reportSettings(
        _ model: DeepNeuralNetwork, _ trainSet: Dataset, _ options: TrainingOptions, _ elapsed: Double
    ) -> [(String, String)] {
        let training = model.training!
        let initialisation =
            model.initialization.map { "\($0.scheme.rawValue), seed \($0.seed)" } ?? "from \(resume ?? "parameters")"
        let validationSetting = validation ?? validationFraction.map { "\($0) of the training data" } ?? "none"
        let standardisation =
            model.standardization == nil ? "none" : "by the training data's mean and deviation"
        let batches = options.miniBatchSize.map(String.init) ?? "all examples (full batch)"
        var settings: [(String, String)] = [
            ("Training data", train ?? "built-in flower data (\(trainSet.exampleCount) points)"),
            ("Test data", test ?? "none"), ("Validation", validationSetting), ("Layers", "\(model.layerSizes)"),
        ]
        settings += [
            ("Hidden activations", model.network.activations.map(\.name).joined(separator: ", ")),
            (
                "Output",
                "\(model.network.head.name), \(model.task.summary) (\(elided(model.task.names.joined(separator: ", "))))"
            ),
            (
                "Target standardisation",
                model.targetStandardization == nil ? "none" : "by the training targets' mean and deviation"
            ),
            ("Standardisation", standardisation), ("Optimizer", "\(options.optimizer)"),
            ("Learning rate", "\(options.learningRate)"), ("Learning-rate decay", "\(options.schedule)"),
        ]
        settings += [
            ("Mini-batch size", batches), ("L2 λ", "\(options.l2)"), ("Dropout keep_prob", "\(options.keepProb)"),
            (options.miniBatchSize == nil ? "Iterations" : "Epochs", "\(training.iterations)"),
            ("Initialisation", initialisation), ("Precision", options.precision.rawValue),
            ("Engine", training.path ?? training.engine!.rawValue),
            ("Training time", String(format: "%.2f s", elapsed)),
        ]
        if let earlyStopping {
            settings.append(("Early stopping", "after \(earlyStopping) passes without improvement"))
        }
        return settings
    }
}

/// The cost of every pass, and the validation cost when it was watched, as CSV
/// (`iteration,cost[,validation_cost]`) or JSON lines, at full precision.
func costLog(_ training: TrainingRecord, csv: Bool) -> Data {
    let costs = training.passCosts
    var validation = [Int: Double]()
    for record in training.validationPassCosts ?? [] { validation[record.iteration] = record.cost }
    let text: String
    if csv {
        let header = validation.isEmpty ? "iteration,cost\n" : "iteration,cost,validation_cost\n"
        text =
            header
            + costs.map { record in
                let extra = validation.isEmpty ? "" : "," + (validation[record.iteration].map { "\($0)" } ?? "")
                return "\(record.iteration),\(record.cost)\(extra)\n"
            }.joined()
    } else {
        // JSON has no inf or NaN: a saturated pass's cost is null there (CSV keeps "inf").
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        text = costs.map { record in
            let extra = validation[record.iteration].map { ",\"validation_cost\":\(number($0))" } ?? ""
            return "{\"iteration\":\(record.iteration),\"cost\":\(number(record.cost))\(extra)}\n"
        }.joined()
    }
    return Data(text.utf8)
}

/// The examples a data file holds, as its loader counts them while reading a shard of them.
private final class ExampleCount: @unchecked Sendable {
    var value = 0
}
