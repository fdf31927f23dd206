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
    ///       → Gemm(W1, b1, transB = 1) → activation → … → Gemm(WL, bL, transB = 1) → Sigmoid | Softmax(axis 1)
    ///       → probabilities [N, n[L]]
    ///
    /// Examples are rows (N, the batch, is symbolic), so each layer is A·Wᵀ + b with W stored as the
    /// model keeps it. Values are float32 or float64 (`precision`); the class names (a JSON array)
    /// and the producer go into the metadata.
    public func onnxModel(precision: Precision = .float32) throws -> Data {
        let elementType: Int32 = precision == .float32 ? 1 : 11  // TensorProto.FLOAT, DOUBLE
        var graph = Onnx_GraphProto()
        graph.name = "swift-dnn"
        func tensor(_ name: String, _ dims: [Int], _ values: [Double]) -> Onnx_TensorProto {
            var tensor = Onnx_TensorProto()
            tensor.name = name
            tensor.dims = dims.map(Int64.init)
            tensor.dataType = elementType
            if precision == .float32 { tensor.floatData = values.map(Float.init) } else { tensor.doubleData = values }
            return tensor
        }
        func valueInfo(_ name: String, _ columns: Int) -> Onnx_ValueInfoProto {
            var batch = Onnx_TensorShapeProto.Dimension()
            batch.dimParam = "N"
            var width = Onnx_TensorShapeProto.Dimension()
            width.dimValue = Int64(columns)
            var shape = Onnx_TensorShapeProto()
            shape.dim = [batch, width]
            var tensorType = Onnx_TypeProto.Tensor()
            tensorType.elemType = elementType
            tensorType.shape = shape
            var info = Onnx_ValueInfoProto()
            info.name = name
            info.type.tensorType = tensorType
            return info
        }
        func node(_ op: ONNXOperator, _ inputs: [String], _ output: String) -> Onnx_NodeProto {
            var node = Onnx_NodeProto()
            node.opType = op.type
            node.name = output
            node.input = inputs
            node.output = [output]
            node.attribute = op.attributes.map { attribute in
                var proto = Onnx_AttributeProto()
                switch attribute {
                case .float(let name, let value):
                    (proto.name, proto.type, proto.f) = (name, .float, Float(value))
                case .int(let name, let value):
                    (proto.name, proto.type, proto.i) = (name, .int, Int64(value))
                }
                return proto
            }
            return node
        }

        let sizes = layerSizes
        var current = "X"
        if let standardization {
            graph.initializer += [
                tensor("mean", [sizes[0]], standardization.mean), tensor("scale", [sizes[0]], standardization.scale),
            ]
            graph.node += [
                node(ONNXOperator(type: "Sub"), ["X", "mean"], "centred"),
                node(ONNXOperator(type: "Div"), ["centred", "scale"], "standardised"),
            ]
            current = "standardised"
        }
        for l in 1...layerCount {
            graph.initializer += [
                tensor("W\(l)", [sizes[l], sizes[l - 1]], parameters.W(l).scalars),
                tensor("b\(l)", [sizes[l]], parameters.b(l).scalars),
            ]
            graph.node.append(
                node(ONNXOperator(type: "Gemm", attributes: [.int("transB", 1)]), [current, "W\(l)", "b\(l)"], "Z\(l)"))
            current = "Z\(l)"
            let op =
                l < layerCount
                ? network.hidden[l - 1].activation.function.onnxOperator : network.head.function.onnxOperator
            // A regression's output is Z itself; with standardised targets, restored to their scale.
            let outputName = task.kind == .regression ? "predictions" : "probabilities"
            let output = l < layerCount ? "A\(l)" : outputName
            if let op {
                graph.node.append(node(op, [current], output))
                current = output
            } else if l == layerCount, let scaling = targetStandardization {
                graph.initializer += [
                    tensor("target_scale", [sizes[l]], scaling.scale), tensor("target_mean", [sizes[l]], scaling.mean),
                ]
                graph.node += [
                    node(ONNXOperator(type: "Mul"), [current, "target_scale"], "scaled"),
                    node(ONNXOperator(type: "Add"), ["scaled", "target_mean"], output),
                ]
            } else if l == layerCount {
                graph.node.append(node(ONNXOperator(type: "Identity"), [current], output))
            }
        }
        graph.input = [valueInfo("X", sizes[0])]
        graph.output = [valueInfo(task.kind == .regression ? "predictions" : "probabilities", sizes.last!)]

        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.producerName = "swift-dnn"
        model.producerVersion = Self.toolVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Self.onnxOpset
        model.opsetImport = [opset]
        model.graph = graph
        // What the outputs are: the task (its kind and names), and for classifiers the class names.
        var taskEntry = Onnx_StringStringEntryProto()
        taskEntry.key = "task"
        taskEntry.value = String(decoding: try JSONEncoder().encode(task), as: UTF8.self)
        var names = Onnx_StringStringEntryProto()
        names.key =
            task.kind == .classification ? "class_names" : task.kind == .regression ? "target_names" : "label_names"
        names.value = String(decoding: try JSONEncoder().encode(task.names), as: UTF8.self)
        model.metadataProps = [names, taskEntry]
        return try model.serializedData()
    }
}
