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

            Your own CSV trains with the tabular preset unless --learning-rate or --iterations is \
            given: standardised features, a [64, 32] network, Adam on mini-batches, early stopping on \
            a tenth held out (see --preset). Name the label column and write the model:

              dnn train --train penguins.csv --label-column species --output p.json

            With --resume, training continues from a saved model with its saved settings (optimiser, \
            learning rate, mini-batches, schedule, L2, dropout, standardisation); a flag given again \
            overrides its setting, and the command says so.
            """)

    // The basic options first: plain options are listed in declaration order.

    @Option(help: "Training data (.h5 or .csv). Default: the built-in flower data set.")
    var train: String?

    /// Test data, and validation data or a held-out fraction with early stopping.
    @OptionGroup var heldOut: HeldOutOptions

    /// The network, its first weights, the passes and every setting of training (shared with cv).
    @OptionGroup var fit: FitOptions

    @Option(help: "Print the cost every this many iterations (or epochs).")
    var printEvery = 100

    @Flag(help: "Print only the final lines (accuracies and files written).")
    var quiet = false

    @Flag(help: "Print one JSON object at the end (scores, passes, time, files written) instead of the lines.")
    var json = false

    @Flag(help: "Print how long each stage took: loading, setup, the passes, scoring and writing.")
    var timings = false

    @Flag(
        help: ArgumentHelp(
            "Train as one process of an MPI job: mpirun -np N dnn train --distributed ….",
            discussion:
                "Each process trains on its shard of the examples and the shards' gradients are summed after "
                + "every iteration, so the run equals one process's (full batches, direct path). Only rank 0 "
                + "prints and writes. See docs/distributed.md."))
    var distributed = false

    @Option(
        help:
            "Continue training a saved model with its parameters, optimiser state and settings; --layers, --init and --seed are then not used."
    )
    var resume: String?

    @OptionGroup var data: DataOptions

    /// The files training writes: the model, the cost log and plot, the decision boundary, the report.
    @OptionGroup var outputs: OutputOptions

    func validate() throws {
        guard printEvery >= 1 else { throw ValidationError("--print-every \(printEvery): must be at least 1") }
        if distributed {
            // These read the whole training set in one process.
            for (given, flag) in [
                (heldOut.validation != nil, "--validation"),
                (heldOut.validationFraction != nil, "--validation-fraction"),
                (heldOut.earlyStopping != nil, "--early-stopping"), (fit.standardize == true, "--standardize"),
                (fit.preset == .tabular, "--preset tabular"),
                (outputs.boundaryPlot != nil, "--boundary-plot"), (outputs.report != nil, "--report"),
                (json, "--json"),
            ] where given {
                throw ValidationError("\(flag) is not distributed yet; leave out --distributed or \(flag)")
            }
        }
        if let preset = fit.preset, resume != nil {
            throw ValidationError("--preset \(preset): --resume keeps the saved model's settings")
        }
        if fit.network.batchNorm && resume != nil {
            throw ValidationError("--batch-norm: --resume keeps the saved model's layers")
        }
    }

    func run() throws {
        // Every output is checked before any work: a new file or a regular, writable one, none of
        // them an input or another output.
        let written = outputs.paths
        let inputs = [train, heldOut.test, heldOut.validation, resume].compactMap { $0 }
        for (index, path) in written.enumerated() {
            let name = URL(fileURLWithPath: path).standardized.path
            if written[..<index].contains(where: { URL(fileURLWithPath: $0).standardized.path == name }) {
                throw DNNError("\(path): named for two outputs of this command")
            }
            try requireWritableOutput(path, inputs: inputs + written[..<index])
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
        var timer = StageTimer()
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
        let resumed = try resume.map { try DeepNeuralNetwork(contentsOf: $0) }
        let (preset, presetReason) = fit.chosenPreset(
            data: train, resuming: resume != nil, distributed: communicator != nil)
        let sets = try loadData(resumed: resumed, preset: preset, shard: shard, communicator: communicator) {
            if let communicator { try requireAgreement(communicator, $0, examples: fileExamples.value) }
        }
        let (trainSet, testSet, validationSet) = (sets.train, sets.test, sets.validation)
        timer.mark("load")

        var model: DeepNeuralNetwork
        // Every process runs the same command; rank 0 alone speaks and writes.
        let speaks = (communicator?.rank ?? 0) == 0
        if communicator != nil && speaks {
            // mpirun ends every process with SIGTERM when one of them fails or is killed.
            TemporaryFiles.sayOnInterrupt(
                "dnn: training stopped: another process of the MPI job failed or was killed; no output was written")
        }
        let console = Console(quiet: quiet || json, silent: !speaks || json)
        console.report(trainSet, from: trainSource)
        if let testSet, let test = heldOut.test { console.report(testSet, from: test) }
        if let validationSet, let validation = heldOut.validation { console.report(validationSet, from: validation) }
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
            if fit.standardize == true && model.standardization == nil {
                throw DNNError("--standardize: \(resume) was trained on unstandardised data; it cannot change now")
            }
        } else {
            model = try fit.freshModel(for: trainSet, preset: preset)
        }
        if model.standardization == nil && trainSet.imageShape == nil
            && Standardization.looksUnscaled(trainSet.features)
        {
            console.warning(
                "\(trainSource): features are unscaled (a mean or spread above 10); consider --standardize")
        }
        let (options, overrides) = try fit.settings(
            resuming: resume == nil ? nil : model.training, dropoutSeed: model.initialization?.seed ?? 1,
            reportEvery: printEvery, preset: preset, examples: trainSet.exampleCount)
        for line in overrides { console.line(line) }

        let weights = try fit.weighting.weights(for: trainSet)
        let validationData = try validationSet.map {
            Validation(
                X: $0.X, Y: $0.Y, patience: heldOut.earlyStopping ?? preset.patience,
                weights: try fit.weighting.weights(for: $0, classesFrom: trainSet))
        }
        if model.network.hasBatchNorm && communicator == nil {
            try DeepNeuralNetwork.checkBatchNormalization(options: options, examples: trainSet.exampleCount)
        }
        // Once every input is checked: a command that fails says one line.
        if let presetReason, !quiet && !json {
            console.note("preset \(preset) for \(presetReason): \(preset.summary); --preset course for the course's")
        }
        let sizes = model.layerSizes
        console.progressLine(
            "Training \(sizes) on \(trainSet.exampleCount) examples (\(train ?? "built-in flower data")).")
        let start = Date()
        let unit = options.miniBatchSize == nil ? "iteration" : "epoch"
        let passesBefore = model.training?.iterations ?? 0
        if let communicator {
            // A --resume model that differs between machines would give each process other steps.
            var agreement = JobAgreement()
            agreement.add(
                "the model and its settings (--resume)",
                "\(model.layerSizes) \(model.network.activations) \(model.network.normalizations) \(options.learningRate) \(options.iterations) "
                    + "\(options.miniBatchSize ?? 0) \(options.optimizer) \(options.schedule) \(options.l2) "
                    + "\(options.keepProb) \(options.precision) \(passesBefore) \(model.optimizerState?.step ?? 0)")
            try agreement.require(over: communicator)
        }
        try model.train(
            trainSet.features, trainSet.Y, weights: weights, options: options, validation: validationData,
            communicator: communicator,
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
            },
            passesBegin: { timer.mark("setup") })
        timer.mark("passes")
        console.finishProgress()
        let elapsed = Date().timeIntervalSince(start)
        let training = model.training!
        if let reason = training.stopReason { console.line("Training stopped: \(reason).") }
        if let restored = training.restoredPass, let best = training.validationHistory?.min() {
            console.line(
                "Kept the parameters of \(unit) \(restored), the best validation cost (\(String(format: "%f", best))).")
        }
        console.progressLine("Trained in \(String(format: "%.2f", elapsed)) s.")
        let (trainScore, trainDecisions) = try score(model, trainSet, "Train", communicator)
        guard speaks else { return }
        console.line(trainScore)
        if let validationSet { console.line(try score(model, validationSet, "Validation", nil).line) }
        if let testSet { console.line(try score(model, testSet, "Test", nil).line) }
        timer.mark("scoring")
        try writeOutputs(model, sets, options, elapsed, console)
        timer.mark("writing")
        if timings { console.line(timer.line) }
        // Last, once everything has succeeded (a command that fails says one line): what may be
        // wrong with what the model learned.
        let warnings = [
            sets.smallClasses, TrainingWarnings.notConverged(training, passes: options.iterations, unit: unit),
            communicator == nil ? TrainingWarnings.oneClass(model, trainSet, decisions: trainDecisions) : nil,
        ].compactMap { $0 }
        for warning in warnings { console.warning(warning) }
        if json {
            FileHandle.standardOutput.write(
                try summary(model, sets, elapsed, preset: preset, warnings: warnings, timings: timer.json)
                    + Data("\n".utf8))
        }
    }
}

/// The examples a data file holds, as its loader counts them while reading a shard of them.
private final class ExampleCount: @unchecked Sendable {
    var value = 0
}
