import ArgumentParser
import DNN
import Foundation

/// The network and its step size, shared by `train` and `bench`.
struct NetworkOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Hidden layer sizes, comma-separated, each with an optional activation after a colon, and :bn for batch normalisation.",
            discussion:
                "The course's L-layer model: 20,7,5 (the course preset's; tabular: 64,32); two-layer: 7. Per layer: 20:tanh,7:relu; 64:relu:bn,32:relu batch-normalises the first. The input size comes from the data, the output from its classes (one sigmoid unit for two, softmax for more)."
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

    @Option(help: "The learning rate α (course preset: 0.0075; tabular: 0.001; with --resume the saved one).")
    var learningRate: Double?

    @Flag(
        help: ArgumentHelp(
            "Batch-normalise every hidden layer (as :bn on each in --layers).",
            discussion:
                "Z = W·A is normalised by its batch's mean and variance (ε 1e-5), scaled by a learned γ and shifted by a learned β (in place of b), before the activation; prediction uses running averages (momentum 0.9, Keras's convention; PyTorch's 0.1). Every batch needs 2 examples or more."
        ))
    var batchNorm = false

    func validate() throws {
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate \(learningRate): must be a positive number")
        }
        if layers != nil && layerDims != nil { throw ValidationError("give --layers or --layer-dims, not both") }
        if let layerDims, layerDims.sizes.count < 2 {
            throw ValidationError("--layer-dims \(layerDims): needs the input size and the output size at least")
        }
        if let layerDims, layerDims.normalized.last == true || layerDims.normalized.first == true {
            throw ValidationError(
                "--layer-dims \(layerDims): only hidden layers can be batch-normalised (not the input or the output layer)"
            )
        }
        _ = try hiddenLayers()
    }

    /// The hidden layers, with their activations: --layers, --layer-dims, or else `hidden`.
    func hiddenLayers(default hidden: HiddenLayers = Preset.course.hiddenLayers) throws -> [Layer] {
        let fallback: Activation
        do {
            fallback = try Activation(parsing: activation)
        } catch let error as DNNError {
            throw ValidationError("--activation: \(error.message)")
        }
        if let layerDims { return try layerDims.inner.layers(default: fallback, batchNorm: batchNorm) }
        return try (layers ?? hidden).layers(default: fallback, batchNorm: batchNorm)
    }

    /// The network for data of `inputs` features and `classes` classes (see `network(inputs:task:)`).
    func network(inputs: Int, classes: Int) throws -> Network {
        try network(inputs: inputs, task: .classification(classes: (0..<classes).map(String.init)))
    }

    /// The network for data of `inputs` features and `task`'s targets. `--layer-dims` must agree
    /// with both; `--layers` written as the course's layers_dims (the data's feature count first,
    /// one unit last) is refused with a hint, as it would add two layers the user did not mean.
    func network(inputs: Int, task: LearningTask, hidden: HiddenLayers = Preset.course.hiddenLayers) throws -> Network {
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
        return Network(inputs: inputs, hidden: try hiddenLayers(default: hidden), task: task)
    }
}
