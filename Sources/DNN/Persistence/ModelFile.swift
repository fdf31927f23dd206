import Foundation

// The model file: JSON, so a person can read it and any language can load it.
//
//     {
//       "format": "swift-dnn-model",        // what this file is
//       "version": 3,                       // the layout below; readers refuse newer versions
//       "layerSizes": [12288, 20, 7, 5, 1],
//       "activations": ["relu", "relu", "relu"],   // the hidden layers', layer 1 first
//       "head": "sigmoid",                  // the output and its loss: sigmoid, softmax, squared-error
//       "task": {"kind": "classification", "names": ["non-cat", "cat"]},   // or regression, multilabel
//       "targetStandardization": {"mean": […], "scale": […]},   // regression with --standardize
//       "inputShape": [64, 64, 3],          // image models only
//       "featureNames": ["mean_radius", …], // tabular models, when the data named its columns
//       "targetColumns": ["diagnosis"],     // tabular models: the columns the targets came from
//       "preprocessing": {"columns": [{"name": "island", "kind": "categorical", …}, …]},  // tabular
//       "standardization": {"mean": […], "scale": […]},   // when trained with --standardize
//       "initialization": {"scheme": "l-layer", "seed": 1},
//       "training": {"learningRate": 0.0075, "iterations": 2500, "precision": "float64",
//                    "optimizer": {"name": "gd"}, "schedule": {"name": "scheduled", …},
//                    "costs": [{"iteration": 0, "cost": 0.771749…}, …]},
//       "optimizerState": {"optimizer": {"name": "adam", …}, "step": 2500, "shuffleSeed": 2510,
//                          "moments": [[…], …]},     // per parameter W1, b1, W2, …
//       "parameters": [{"W": [[…], …], "b": [[…], …]}, …]   // layer 1 first, rows of numbers
//     }
//
// Version 4 adds batch normalisation: "batchNorm": [{"epsilon": 1e-05, "momentum": 0.9}, null, …]
// (one entry per hidden layer), and a normalised layer's parameters hold "gamma", "beta",
// "runningMean" and "runningVariance" beside W and b (b is 0); optimizerState.moments continue
// after bL with γ and β of each normalised layer. A model without batch normalisation is still
// written as version 3, which older releases read.
//
// Numbers are written in their shortest round-trip form, so every parameter reads back
// bit for bit. Parameters are always finite; a reported cost that is not is written "inf".
//
// Version 2 (before tasks) had no task and no target standardisation: its models are
// classifiers, with their class names in "classNames". Such files are still read.
//
// Version 1 (before networks were values) listed every layer's activation, relu for the hidden
// layers and sigmoid last, had no head, and wrote optimisers as {"adam": {…}} with their moments
// as vW, vb, sW, sb. Such files are still read, and predict as they did.

extension DeepNeuralNetwork {
    /// The `format` field of every model file.
    public static let fileFormat = "swift-dnn-model"
    /// This release of swift-dnn, as `dnn --version` prints it.
    public static let toolVersion = "0.6.0"
    /// The newest layout version this code reads and writes (a model without batch normalisation
    /// is written as version 3).
    public static let fileVersion = 4

    /// Writes the model to `path` atomically: the file appears complete or not at all, and a
    /// crash during the write leaves any previous file at `path` as it was.
    public func save(to path: String) throws {
        try writeFileAtomically(try fileData(), to: path)
    }

    /// The model file's bytes, as `save(to:)` writes them.
    public func fileData() throws -> Data {
        let contents = ModelFileContents(
            format: Self.fileFormat, version: network.hasBatchNorm ? 4 : 3, layerSizes: layerSizes,
            activations: network.activations.map(\.name), head: network.head,
            batchNorm: network.hasBatchNorm ? network.normalizations : nil, classNames: nil, task: task,
            targetStandardization: targetStandardization,
            inputShape: inputShape, featureNames: featureNames, targetColumns: targetColumns,
            preprocessing: preprocessing,
            standardization: standardization,
            initialization: initialization, training: training, optimizerState: optimizerState,
            parameters: parameters.layers.map(ModelFileContents.Layer.init))
        // What is written must read back: the reader's checks, on the contents, before any byte
        // is written (a standardisation or a parameter that is not finite is refused here, not
        // after it has replaced a good file).
        do {
            _ = try Self(validating: contents, version: contents.version, path: "the model")
        } catch let error as DNNError {
            throw DNNError(error.message.replacingOccurrences(of: "damaged model file: ", with: "cannot be saved: "))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A reported cost can be inf (a saturated wrong output), which JSON has no number for.
        encoder.nonConformingFloatEncodingStrategy = Self.nonFiniteNumbers.encoding
        do {
            return try encoder.encode(contents)
        } catch {
            throw DNNError("cannot encode the model: \(error)")
        }
    }

    /// Reads a model written by `save(to:)`. A missing, damaged, truncated or foreign file, or one
    /// from a newer version, throws an error that says which.
    public init(contentsOf path: String) throws {
        // Foundation's decoder holds the text, its index of the values, and the decoded arrays:
        // about three times the file at its peak (measured: 2.6× for 266 MB, 3.2× for 40 MB).
        let data = try readWholeFile(path, what: "a model file", peak: 4)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = Self.nonFiniteNumbers.decoding
        guard let header = try? decoder.decode(ModelFileHeader.self, from: data) else {
            throw DNNError("\(path): not a model file, or damaged or truncated (not valid JSON)")
        }
        guard header.format == Self.fileFormat else {
            throw DNNError(
                "\(path): not a swift-dnn model file (its format is \(header.format.map { "'\($0)'" } ?? "not given"))")
        }
        guard let number = header.version, number >= 1, number == number.rounded(.down) else {
            throw DNNError("\(path): damaged model file (no format version)")
        }
        guard number <= Double(Self.fileVersion) else {
            let shown = number < 1e15 ? "\(Int(number))" : "\(number)"
            throw DNNError(
                "\(path): written by a newer swift-dnn (format version \(shown); this one reads up to \(Self.fileVersion))"
            )
        }
        let version = Int(number)
        if let (key, object) = DuplicateJSONKeys.first(in: data) {
            throw DNNError(
                "\(path): damaged model file: '\(elided(key))' is given twice in \(object.isEmpty ? "the file's outer object" : "'\(elided(object))'")"
            )
        }
        let contents: ModelFileContents
        do {
            contents = try decoder.decode(ModelFileContents.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DNNError(
                "\(path): damaged model file: '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is missing"
            )
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // The text parsed as JSON above; Foundation says "not valid JSON", naming no field, when
            // a number does not fit the field that holds it.
            throw DNNError(
                "\(path): damaged model file: a number does not fit its field (too large, or a fraction where a whole number belongs)"
            )
        } catch let error as DecodingError {
            throw DNNError("\(path): damaged model file: \(Self.describe(error))")
        }
        try self.init(validating: contents, version: version, path: path)
    }

    /// Costs that are not finite are written as the strings "inf", "-inf" and "nan".
    private static let nonFiniteNumbers = (
        encoding: JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"),
        decoding: JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    )

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context)
        where context.underlyingError == nil && !context.codingPath.isEmpty
            && context.debugDescription.hasPrefix("unknown"):
            // A name the registry does not know (a loss, an activation): the registry's message.
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
            return where_.isEmpty ? context.debugDescription : "'\(where_)' is not what it should be"
        case .keyNotFound(let key, _):
            return "'\(key.stringValue)' is missing"
        @unknown default:
            return "\(error)"
        }
    }

    private init(validating contents: ModelFileContents, version: Int, path: String) throws {
        let sizes = contents.layerSizes
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }) else {
            throw DNNError("\(path): damaged model file: layer sizes \(sizes)")
        }
        guard contents.parameters.count == sizes.count - 1 else {
            throw DNNError(
                "\(path): damaged model file: \(contents.parameters.count) layers of parameters for layer sizes \(sizes)"
            )
        }
        let hidden: [Activation], head: OutputHead
        if version == 1 {
            // Version 1 could only hold the course's network: relu hidden layers, a sigmoid unit.
            guard contents.activations == Array(repeating: "relu", count: sizes.count - 2) + ["sigmoid"] else {
                throw DNNError(
                    "\(path): unsupported activations \(contents.activations); expected relu for hidden layers and sigmoid last"
                )
            }
            (hidden, head) = (Array(repeating: .relu, count: sizes.count - 2), .sigmoid)
        } else {
            guard contents.activations.count == sizes.count - 2, let fileHead = contents.head else {
                throw DNNError(
                    "\(path): damaged model file: \(contents.activations.count) activations for \(sizes.count - 2) hidden layers"
                )
            }
            do {
                hidden = try contents.activations.map(Activation.init(parsing:))
            } catch let error as DNNError {
                throw DNNError("\(path): \(error.message)")
            }
            head = fileHead
        }
        let normalizations = contents.batchNorm ?? Array(repeating: nil, count: hidden.count)
        guard normalizations.count == hidden.count, version >= 4 || contents.batchNorm == nil else {
            throw DNNError(
                "\(path): damaged model file: \(normalizations.count) batchNorm entries for \(hidden.count) hidden layers "
                    + "(the output layer has none)")
        }
        let network = Network(
            inputs: sizes[0],
            hidden: zip(sizes.dropFirst(), zip(hidden, normalizations)).map {
                Layer(units: $0, activation: $1.0, batchNorm: $1.1)
            },
            head: head, outputs: sizes.last!)
        do {
            try network.validate()
        } catch let error as DNNError {
            throw DNNError("\(path): damaged model file: \(error.message)")
        }
        var layers = [LayerParameters]()
        for (index, layer) in contents.parameters.enumerated() {
            let (rows, cols) = (sizes[index + 1], sizes[index])
            guard layer.W.count == rows, layer.W.allSatisfy({ $0.count == cols }),
                layer.b.count == rows, layer.b.allSatisfy({ $0.count == 1 })
            else {
                throw DNNError(
                    "\(path): damaged model file: W\(index + 1) or b\(index + 1) is not of shape (\(rows),\(cols)) and (\(rows),1)"
                )
            }
            guard (layer.W + layer.b).allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw DNNError("\(path): damaged model file: layer \(index + 1) holds a value that is not finite")
            }
            layers.append(
                LayerParameters(
                    W: Matrix(layer.W), b: Matrix(layer.b),
                    normalization: try layer.normalization(index + 1, units: rows, path: path)))
        }
        do {
            try Parameters(layers: layers).requireNormalization(of: network)
        } catch let error as DNNError {
            throw DNNError("\(path): damaged model file: \(error.message)")
        }
        if let names = contents.featureNames, names.count != network.inputs {
            throw DNNError("\(path): damaged model file: \(names.count) feature names for \(network.inputs) features")
        }
        if let names = contents.featureNames, let twice = Self.repeated(names) {
            throw DNNError("\(path): damaged model file: the feature name '\(elided(twice))' is given twice")
        }
        do {
            try contents.standardization?.validate(features: network.inputs)
        } catch let error as DNNError {
            throw DNNError("\(path): damaged model file: \(error.message)")
        }
        if let shape = contents.inputShape {
            // A picture's height, width and channels: positive, at most 2¹⁶ each, and n[0] in all.
            guard shape.count == 3, shape.allSatisfy({ (1...65_536).contains($0) }),
                ResourceLimits.bytes(shape, each: 1) == network.inputs
            else {
                throw DNNError(
                    "\(path): damaged model file: inputShape \(elided("\(shape)")) is not a picture of \(network.inputs) values"
                )
            }
        }
        if let state = contents.optimizerState {
            guard state.step >= 0, state.step < 1 << 53 else {
                throw DNNError("\(path): damaged model file: optimizer step \(state.step) is out of range")
            }
            // Per parameter W1, b1, …: the optimiser's moments of each entry, all finite.
            let slots = state.optimizer.function.stateCount
            let counts =
                layers.flatMap { [$0.W.scalars.count * slots, $0.b.scalars.count * slots] }
                + layers.compactMap(\.normalization).flatMap {
                    [$0.gamma.scalars.count * slots, $0.beta.scalars.count * slots]
                }
            guard state.moments.isEmpty && slots == 0 || state.moments.map(\.count) == counts else {
                throw DNNError(
                    "\(path): damaged model file: optimizerState.moments do not fit \(state.optimizer.name)'s state of these layers"
                )
            }
            guard state.moments.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw DNNError("\(path): damaged model file: optimizerState.moments hold a value that is not finite")
            }
        }
        if let training = contents.training {
            try training.validate(path: path)
        }
        // Versions 1 and 2 hold classifiers and their class names; version 3 its task.
        let task: LearningTask
        if version < 3 {
            guard let names = contents.classNames else {
                throw DNNError("\(path): damaged model file: 'classNames' is missing")
            }
            task = .classification(classes: names)
        } else {
            guard let fileTask = contents.task else { throw DNNError("\(path): damaged model file: 'task' is missing") }
            task = fileTask
        }
        if let twice = Self.repeated(task.names) {
            let what = ["classification": "class", "regression": "target", "multilabel": "label"][task.kind.rawValue]!
            throw DNNError("\(path): damaged model file: the \(what) name '\(elided(twice))' is given twice")
        }
        do {
            try task.requireFits(network)
        } catch let error as DNNError {
            throw DNNError("\(path): damaged model file: \(error.message)")
        }
        if let scaling = contents.targetStandardization {
            guard task.kind == .regression else {
                throw DNNError(
                    "\(path): damaged model file: a target standardisation for a \(task.kind.rawValue) model")
            }
            do {
                try scaling.validate(features: network.outputs)
            } catch let error as DNNError {
                throw DNNError("\(path): damaged model file: targetStandardization: \(error.message)")
            }
        }
        try self.init(
            network: network, parameters: Parameters(layers: layers), task: task,
            initialization: contents.initialization, inputShape: contents.inputShape, training: contents.training,
            optimizerState: contents.optimizerState)
        featureNames = contents.featureNames
        if let pipeline = contents.preprocessing {
            try pipeline.validate(features: network.inputs, path: path)
            preprocessing = pipeline
        }
        if let columns = contents.targetColumns {
            // A classifier's one label column, or each target's or label's, named as the task names them.
            guard columns.count == task.targetRows, task.kind == .classification || columns == task.names,
                !columns.contains("")
            else {
                throw DNNError(
                    "\(path): damaged model file: targetColumns \(elided("\(columns)")) do not fit the model's \(task.summary)"
                )
            }
            targetColumns = columns
        }
        standardization = contents.standardization
        targetStandardization = contents.targetStandardization
    }
}

private struct ModelFileHeader: Decodable {
    var format: String?
    /// Read as any number, so that a version too large for Int is "newer", not "not valid JSON".
    var version: Double?
}

private struct ModelFileContents: Codable {
    struct Layer: Codable {
        var W: [[Double]]
        var b: [[Double]]
        /// Version 4, batch-normalised layers: n×1 each.
        var gamma, beta, runningMean, runningVariance: [[Double]]?

        init(_ layer: LayerParameters) {
            (W, b) = (layer.W.rowArrays, layer.b.rowArrays)
            if let numbers = layer.normalization {
                (gamma, beta) = (numbers.gamma.rowArrays, numbers.beta.rowArrays)
                (runningMean, runningVariance) = (numbers.runningMean.rowArrays, numbers.runningVariance.rowArrays)
            }
        }

        /// γ, β and the running averages of layer `layer` (`units` units) when the file has them:
        /// all four, each `units`×1.
        func normalization(_ layer: Int, units: Int, path: String) throws -> NormalizationParameters? {
            let parts = [gamma, beta, runningMean, runningVariance]
            if parts.allSatisfy({ $0 == nil }) { return nil }
            let names = ["gamma", "beta", "runningMean", "runningVariance"]
            var columns = [Matrix]()
            for (name, part) in zip(names, parts) {
                guard let part, part.count == units, part.allSatisfy({ $0.count == 1 }) else {
                    throw DNNError(
                        "\(path): damaged model file: layer \(layer)'s \(name) is not of shape (\(units),1)")
                }
                columns.append(Matrix(part))
            }
            return NormalizationParameters(
                gamma: columns[0], beta: columns[1], runningMean: columns[2], runningVariance: columns[3])
        }
    }

    var format: String
    var version: Int
    var layerSizes: [Int]
    /// Version 2: the hidden layers' activations; version 1: every layer's, sigmoid last.
    var activations: [String]
    /// Versions 2 and up.
    var head: OutputHead?
    /// Version 4: each hidden layer's batch normalisation, or null.
    var batchNorm: [BatchNormalization?]?
    /// Versions 1 and 2.
    var classNames: [String]?
    /// Version 3.
    var task: LearningTask?
    /// Version 3, regression trained with standardised targets.
    var targetStandardization: Standardization?
    var inputShape: [Int]?
    /// Version 2, optional.
    var featureNames: [String]?
    /// Version 3, optional.
    var targetColumns: [String]?
    /// Version 3, optional: the tabular pipeline.
    var preprocessing: TabularPipeline?
    var standardization: Standardization?
    var initialization: InitializationRecord?
    var training: TrainingRecord?
    /// Absent in files from before optimisers; absent means training starts afresh.
    var optimizerState: OptimizerState?
    var parameters: [Layer]
}
