/// One layer before the output: its number of units, its activation, and whether its Z is
/// batch-normalised before the activation.
public struct Layer: Sendable, Hashable, Codable {
    /// n[l], the layer's units.
    public var units: Int
    /// g[l], applied to the layer's Z[l] (or to its batch normalisation's Y).
    public var activation: Activation
    /// Batch normalisation between the linear part and g[l]; nil for none.
    public var batchNorm: BatchNormalization?

    /// A layer of `units` units with `activation` (relu, the course's, by default), batch-normalised
    /// when `batchNorm` is given.
    public init(units: Int, activation: Activation = .relu, batchNorm: BatchNormalization? = nil) {
        self.units = units
        self.activation = activation
        self.batchNorm = batchNorm
    }
}

/// A fully connected network as a value: the input size, the hidden layers in order, and the
/// output head (its loss) with its units: one sigmoid unit for two classes, K softmax units for
/// K ≥ 3, one sigmoid unit per label, one identity unit per regression target.
///
/// Layer l = 1…L maps A[l−1] (n[l−1]×m) to A[l] = g[l](W[l]·A[l−1] + b[l]) (n[l]×m), with g[l]
/// the hidden layer's activation for l < L and the head's output for l = L.
public struct Network: Sendable, Hashable {
    /// n[0], the features per example.
    public var inputs: Int
    /// Layers 1…L−1.
    public var hidden: [Layer]
    /// The output layer L and its loss.
    public var head: OutputHead
    /// n[L], the output units.
    public var outputs: Int

    /// A network for `classes` classes: one sigmoid unit for two, `classes` units otherwise.
    public init(inputs: Int, hidden: [Layer], head: OutputHead, classes: Int) {
        self.init(inputs: inputs, hidden: hidden, head: head, outputs: classes <= 2 ? 1 : classes)
    }

    /// A network for `task`: its loss, and its output units (`LearningTask.outputUnits`).
    public init(inputs: Int, hidden: [Layer], task: LearningTask) {
        self.init(inputs: inputs, hidden: hidden, head: task.loss, outputs: task.outputUnits)
    }

    /// A network ending in `outputs` units of `head` (checked by `validate()`).
    public init(inputs: Int, hidden: [Layer], head: OutputHead, outputs: Int) {
        self.inputs = inputs
        self.hidden = hidden
        self.head = head
        self.outputs = outputs
    }

    /// The course's network on `layerSizes` = [n[0], …, n[L]]: relu hidden layers (or
    /// `activation`), one sigmoid unit when n[L] = 1, a softmax over n[L] ≥ 3 units otherwise.
    public init(layerSizes: [Int], activation: Activation = .relu) {
        let head: OutputHead = layerSizes.last == 1 ? .sigmoid : .softmax
        self.init(
            inputs: layerSizes[0],
            hidden: layerSizes.dropFirst().dropLast().map { Layer(units: $0, activation: activation) }, head: head,
            outputs: layerSizes.last!)
    }

    /// n[0], …, n[L].
    public var layerSizes: [Int] { [inputs] + hidden.map(\.units) + [outputs] }
    /// L, the layers with parameters.
    public var layerCount: Int { hidden.count + 1 }
    /// The hidden layers' activations, layer 1 first.
    public var activations: [Activation] { hidden.map(\.activation) }
    /// The name of layer l's nonlinearity (1…L): its activation, or the head's for l = L.
    public func activationName(_ l: Int) -> String { l == layerCount ? head.name : hidden[l - 1].activation.name }

    /// Each hidden layer's batch normalisation (nil for none), layer 1 first.
    public var normalizations: [BatchNormalization?] { hidden.map(\.batchNorm) }
    /// Whether any hidden layer is batch-normalised.
    public var hasBatchNorm: Bool { hidden.contains { $0.batchNorm != nil } }

    /// The trainable numbers: Σ n[l]·(n[l-1] + 1), with γ and β for b on a batch-normalised layer
    /// (call `validate()` first for sizes from outside).
    public var parameterCount: Int {
        let sizes = layerSizes
        let normalized = hidden.filter { $0.batchNorm != nil }.reduce(0) { $0 + $1.units }
        return (1..<sizes.count).reduce(0) { $0 + sizes[$1] * (sizes[$1 - 1] + 1) } + normalized
    }

    /// The bytes of the parameters in float64, or nil when that overflows.
    var parameterBytes: Int? {
        let sizes = layerSizes
        return ResourceLimits.sum(
            (1..<sizes.count).map { l in
                let (inputs, overflow) = sizes[l - 1].addingReportingOverflow(1)
                return overflow ? nil : ResourceLimits.bytes([sizes[l], inputs], each: 8)
            })
    }

    /// Throws unless training on `examples` examples with `options` fits the memory budget. The
    /// engine's buffers: X in its precision, the gathered batch, three batch-sized buffers per layer
    /// (A and dZ among them), and the parameters with their gradients and moments (five copies).
    public func requireTrainingMemory(examples: Int, options: TrainingOptions) throws {
        let scalar = options.precision == .float32 ? 4 : 8
        let batch = min(options.miniBatchSize ?? examples, examples)
        try ResourceLimits.require(
            ResourceLimits.sum(
                [
                    ResourceLimits.bytes([inputs, examples], each: scalar),
                    ResourceLimits.bytes([inputs, options.miniBatchSize == nil ? 0 : batch], each: scalar),
                ]
                    + layerSizes.dropFirst().map { ResourceLimits.bytes([$0, batch, 3], each: scalar) }
                    + [parameterBytes.flatMap { ResourceLimits.bytes([$0 / 8, 5], each: scalar) }]),
            for: "training \(elided("\(layerSizes)")) on \(examples) examples")
    }

    /// Checks the sizes: at least one input and one unit per layer, and an output the head can have.
    public func validate() throws {
        guard inputs >= 1, hidden.allSatisfy({ $0.units >= 1 }), outputs >= 1 else {
            throw DNNError("layer sizes \(layerSizes): every size must be at least 1")
        }
        for layer in hidden {
            try layer.activation.function.validate()
            try layer.batchNorm?.validate()
        }
        // Drawing the parameters allocates them (twice, for the draw and the scaling): checked first.
        try ResourceLimits.require(
            parameterBytes.flatMap { ResourceLimits.bytes([$0], each: 2) },
            for: "layer sizes \(elided("\(layerSizes)"))")
        do {
            try head.function.validate(units: outputs)
        } catch let error as DNNError {
            throw DNNError("layer sizes \(layerSizes): \(error.message)")
        }
    }
}
