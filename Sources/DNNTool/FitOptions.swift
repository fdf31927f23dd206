import ArgumentParser
import DNN
import Foundation

/// How a model is built and trained, shared by `train` and `cv`: the network and its step size,
/// the first weights, the passes, standardisation, the engine and the course's next part.
struct FitOptions: ParsableArguments {
    @OptionGroup var network: NetworkOptions

    @Option(
        help: ArgumentHelp(
            "The settings a flag does not give: course or tabular.",
            discussion:
                "course: the course's [20, 7, 5] ReLU network, gradient descent at 0.0075 for 2500 iterations, features as they are. tabular: standardised features, [64, 32] ReLU from He's weights, Adam at 0.001 on mini-batches of min(200, m), up to 500 epochs, early stopping after 20 epochs without a better cost on a stratified 10% held out. Default: tabular for CSV/TSV data unless --learning-rate or --iterations is given; course for HDF5 and the flower data."
        ))
    var preset: Preset?

    @Option(help: "Full-batch iterations (course preset: 2500); with --mini-batch-size, see --epochs.")
    var iterations: Int?

    @Option(
        help: ArgumentHelp(
            "How the first weights are drawn.",
            discussion:
                "course (the course preset's): two-layer for one hidden layer, l-layer for more. step-by-step and two-layer: randn x 0.01; l-layer: randn / sqrt(n[l-1]); he (the tabular preset's): randn x sqrt(2/n[l-1]); xavier: randn x sqrt(1/n[l-1]); zeros; random: randn x 10."
        ))
    var `init`: InitializationScheme?

    @Option(help: "Seed of numpy's generator for the initial weights. Default: the course's seed for --init.")
    var seed: UInt32?

    @Flag(
        inversion: .prefixedNo,
        help:
            "Standardise each feature by the training data's mean and standard deviation; the model keeps them and applies them to every input (tabular preset: on)."
    )
    var standardize: Bool?

    // Untitled groups: ArgumentParser lists titled groups before the plain options, and the basic
    // options should come first.
    @OptionGroup var engineOptions: EngineOptions

    /// The course's next part: regularisation, mini-batches, optimisers, decay.
    @OptionGroup var improvements: ImprovementOptions

    /// How much each example counts: by class, by a column.
    @OptionGroup(title: "Weights") var weighting: WeightOptions

    func validate() throws {
        if let iterations {
            guard iterations >= 1 else { throw ValidationError("--iterations \(iterations): must be at least 1") }
            guard iterations <= 100_000_000 else {
                throw ValidationError("--iterations \(iterations): at most 100000000")
            }
        }
    }

    /// The preset for training on the data at `path` (`Preset.choose`), and why, when it was not given.
    func chosenPreset(data path: String?, resuming: Bool = false, distributed: Bool = false) -> (
        preset: Preset, reason: String?
    ) {
        Preset.choose(
            preset, data: path, setsCourseFlag: network.learningRate != nil || iterations != nil, resuming: resuming,
            distributed: distributed)
    }

    /// A new model for `set`: the network the flags (or `preset`) describe for its features and
    /// targets, its first weights, and what the data brings (its picture shape, feature and target
    /// names, its pipeline); when standardising, the training data's standardisation (a
    /// regression's targets' too: the cost is then on their standardised scale).
    func freshModel(for set: Dataset, preset: Preset = .course) throws -> DeepNeuralNetwork {
        let fresh = try network.network(inputs: set.featureCount, task: set.task, hidden: preset.hiddenLayers)
        try fresh.validate()
        // Before the parameters are drawn: they may fit in memory when training them would not.
        try fresh.requireTrainingMemory(
            examples: set.exampleCount,
            options: settings(resuming: nil, dropoutSeed: 1, preset: preset, examples: set.exampleCount).0)
        var model = try DeepNeuralNetwork(
            network: fresh, initialization: `init` ?? preset.initialization, seed: seed, task: set.task)
        model.inputShape = set.imageShape
        model.featureNames = set.featureNames
        model.targetColumns = set.targetColumns
        model.preprocessing = set.pipeline
        if standardize ?? preset.standardizes {
            model.standardization = Standardization(fitting: set.features)
            if set.task.kind == .regression { model.targetStandardization = Standardization(fitting: set.Y) }
        }
        return model
    }

    /// The training options: the flags, or with --resume the saved settings where no flag is given
    /// (with a line for each flag that changes a saved setting); `preset`'s for the rest, for
    /// `examples` training examples.
    func settings(
        resuming saved: TrainingRecord?, dropoutSeed: UInt32, reportEvery: Int = 100, preset: Preset = .course,
        examples: Int
    ) throws -> (TrainingOptions, [String]) {
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
        if saved == nil && miniBatch == nil { miniBatch = preset.miniBatchSize(examples: examples) }
        if let saved {
            if let flag = miniBatch, flag != saved.miniBatchSize {
                overrides.append(
                    "Resuming with --mini-batch-size \(flag) instead of the saved \(saved.miniBatchSize.map(String.init) ?? "full batch")."
                )
            }
            miniBatch = miniBatch ?? saved.miniBatchSize
        }
        let passes: Int
        // A model trained on mini-batches (the tabular preset's, say) names no number of epochs
        // to add that would fit every such model: the course's 2500 would run past any early stop.
        if saved != nil, miniBatch != nil, improvements.epochs == nil, iterations == nil {
            throw ValidationError("--resume: the model trains on mini-batches; give --epochs N, the epochs to add")
        }
        if miniBatch != nil {
            passes = improvements.epochs ?? iterations ?? preset.passes
        } else {
            if improvements.epochs != nil {
                throw ValidationError("--epochs goes with --mini-batch-size; full-batch training counts --iterations")
            }
            passes = iterations ?? preset.passes
        }
        var options = TrainingOptions(
            learningRate: pick(
                network.learningRate, saved?.learningRate, preset.learningRate, "--learning-rate"),
            iterations: passes, miniBatchSize: miniBatch,
            optimizer: pick(
                flagOptimizer, saved?.optimizer, try improvements.chosenOptimizer(named: preset.optimizer),
                "--optimizer"),
            schedule: pick(flagSchedule, saved?.schedule, .constant, "--decay"),
            l2: pick(improvements.regularization.l2, saved?.l2, 0, "--l2"),
            keepProb: pick(improvements.regularization.keepProb, saved?.keepProb, 1, "--keep-prob"),
            dropoutSeeding: pick(improvements.dropoutSeeding, saved?.dropoutSeeding, .fresh, "--dropout-seeding"),
            dropoutSeed: dropoutSeed, reportEvery: reportEvery,
            precision: pick(engineOptions.precisionFlag, saved?.precision, .float64, "--precision"),
            engine: engineOptions.engine, threads: engineOptions.threads)
        options.weighting = weighting.description
        return (options, overrides)
    }
}
