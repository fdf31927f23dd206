import Foundation
import SwiftProtobuf

extension DeepNeuralNetwork {
    /// The ONNX opset the exported graph declares (Gemm, Relu, LeakyRelu, Tanh, Sigmoid, Softmax
    /// with an axis, Sub and Div all have their current meaning from opset 13).
    public static let onnxOpset: Int64 = 13

    /// The model as a standard ONNX model (protocol buffers, IR version 8, opset 13), for ONNX
    /// Runtime and any other ONNX consumer:
    ///
    ///     X [N, n0] → (Sub mean, Div scale, when standardised)
    ///       → Gemm(W1, b1, transB = 1) → (BatchNormalization, when normalised) → activation → …
    ///       → Gemm(WL, bL, transB = 1) → Sigmoid | Softmax(axis 1) → probabilities [N, n[L]]
    ///
    /// A batch-normalised layer's BatchNormalization is its inference form: γ, β, the running mean
    /// and variance, and ε.
    ///
    /// Examples are rows (N, the batch, is symbolic), so each layer is A·Wᵀ + b with W stored as the
    /// model keeps it. Values are float32 or float64 (`precision`); the class names (a JSON array)
    /// and the producer go into the metadata.
    public func onnxModel(precision: Precision = .float32) throws -> Data {
        var builder = ONNXGraphBuilder(precision: precision)
        let sizes = layerSizes
        // A tabular model takes its raw columns: numbers in one tensor, each text column in one
        // of strings, encoded in front of the network as dnn encodes them.
        var current = "X"
        var inputs = [builder.valueInfo("X", sizes[0])]
        var metadata = [(String, String)]()
        if let preprocessing {
            let raw = try preprocessing.onnxInputs(&builder, output: "X")
            inputs = raw.inputs
            metadata.append(("inputs", raw.description))
        }
        if let standardization {
            builder.initializer("mean", [sizes[0]], standardization.mean)
            builder.initializer("scale", [sizes[0]], standardization.scale)
            builder.add(ONNXOperator(type: "Sub"), [current, "mean"], "centred")
            builder.add(ONNXOperator(type: "Div"), ["centred", "scale"], "standardised")
            current = "standardised"
        }
        // A regression's output is Z itself; with standardised targets, restored to their scale.
        let outputName = task.kind == .regression ? "predictions" : "probabilities"
        for l in 1...layerCount {
            builder.initializer("W\(l)", [sizes[l], sizes[l - 1]], parameters.W(l).scalars)
            builder.initializer("b\(l)", [sizes[l]], parameters.b(l).scalars)
            builder.add(
                ONNXOperator(type: "Gemm", attributes: [.int("transB", 1)]), [current, "W\(l)", "b\(l)"], "Z\(l)")
            current = "Z\(l)"
            if let numbers = parameters.layers[l - 1].normalization, let settings = network.hidden[l - 1].batchNorm {
                // ONNX's epsilon is a float32 attribute (1e-5 is not one): what it lacks goes into the
                // variance, so that variance + epsilon is the model's in float64 too.
                let attribute = Double(Float(settings.epsilon))
                var columns = numbers.columns
                columns[3] = columns[3].map { $0 + (settings.epsilon - attribute) }
                let names = ["gamma\(l)", "beta\(l)", "running_mean\(l)", "running_var\(l)"]
                for (name, values) in zip(names, columns) {
                    builder.initializer(name, [sizes[l]], values.scalars)
                }
                builder.add(
                    ONNXOperator(type: "BatchNormalization", attributes: [.float("epsilon", attribute)]),
                    [current] + names, "Y\(l)")
                current = "Y\(l)"
            }
            let op =
                l < layerCount
                ? network.hidden[l - 1].activation.function.onnxOperator : network.head.function.onnxOperator
            let output = l < layerCount ? "A\(l)" : outputName
            if let op {
                builder.add(op, [current], output)
                current = output
            } else if l == layerCount, let scaling = targetStandardization {
                builder.initializer("target_scale", [sizes[l]], scaling.scale)
                builder.initializer("target_mean", [sizes[l]], scaling.mean)
                builder.add(ONNXOperator(type: "Mul"), [current, "target_scale"], "scaled")
                builder.add(ONNXOperator(type: "Add"), ["scaled", "target_mean"], output)
            } else if l == layerCount {
                builder.add(ONNXOperator(type: "Identity"), [current], output)
            }
        }
        builder.graph.input = inputs
        builder.graph.output = [builder.valueInfo(outputName, sizes.last!)]

        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "swift-dnn"
        model.producerVersion = Self.toolVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Self.onnxOpset
        model.opsetImport = [opset]
        if preprocessing != nil {
            // The encoders: LabelEncoder of version 2 maps strings to integers and floats.
            var ml = Onnx_OperatorSetIdProto()
            ml.domain = "ai.onnx.ml"
            ml.version = 2
            model.opsetImport.append(ml)
        }
        model.graph = builder.graph
        // What the outputs are: the task (its kind and names), and for classifiers the class names.
        let namesKey =
            task.kind == .classification ? "class_names" : task.kind == .regression ? "target_names" : "label_names"
        metadata += [
            (namesKey, String(decoding: try JSONEncoder().encode(task.names), as: UTF8.self)),
            ("task", String(decoding: try JSONEncoder().encode(task), as: UTF8.self)),
        ]
        model.metadataProps = metadata.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            (entry.key, entry.value) = (key, value)
            return entry
        }
        return try model.serializedData()
    }
}
