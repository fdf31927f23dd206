import Foundation

/// An ONNX graph assembled node by node: initialisers in the model's precision (or as integers),
/// nodes from `ONNXOperator`s, and the shapes of inputs and outputs (N, the batch, symbolic).
struct ONNXGraphBuilder {
    /// TensorProto.FLOAT or DOUBLE: the element type of every float tensor.
    let elementType: Int32
    var graph = Onnx_GraphProto()

    static let stringType: Int32 = 8
    static let int64Type: Int32 = 7

    init(precision: Precision) {
        elementType = precision == .float32 ? 1 : 11
        graph.name = "swift-dnn"
    }

    /// A float initialiser of `dims`.
    mutating func initializer(_ name: String, _ dims: [Int], _ values: [Double]) {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = elementType
        if elementType == 1 { tensor.floatData = values.map(Float.init) } else { tensor.doubleData = values }
        graph.initializer.append(tensor)
    }

    /// An int64 initialiser of `dims` (indices for Gather).
    mutating func initializer(_ name: String, _ dims: [Int], integers: [Int]) {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims.map(Int64.init)
        tensor.dataType = Self.int64Type
        tensor.int64Data = integers.map(Int64.init)
        graph.initializer.append(tensor)
    }

    /// A node computing `output` from `inputs` by `op`.
    mutating func add(_ op: ONNXOperator, _ inputs: [String], _ output: String) {
        var node = Onnx_NodeProto()
        node.opType = op.type
        node.name = output
        node.input = inputs
        node.output = [output]
        node.domain = op.domain
        node.attribute = op.attributes.map { attribute in
            var proto = Onnx_AttributeProto()
            switch attribute {
            case .float(let name, let value): (proto.name, proto.type, proto.f) = (name, .float, Float(value))
            case .int(let name, let value): (proto.name, proto.type, proto.i) = (name, .int, Int64(value))
            case .ints(let name, let values):
                (proto.name, proto.type, proto.ints) = (name, .ints, values.map(Int64.init))
            case .floats(let name, let values):
                (proto.name, proto.type, proto.floats) = (name, .floats, values.map(Float.init))
            case .strings(let name, let values):
                (proto.name, proto.type, proto.strings) = (name, .strings, values.map { Data($0.utf8) })
            }
            return proto
        }
        graph.node.append(node)
    }

    /// A tensor of [N, `columns`] of `type` (the float element type by default).
    func valueInfo(_ name: String, _ columns: Int, type: Int32? = nil) -> Onnx_ValueInfoProto {
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        var width = Onnx_TensorShapeProto.Dimension()
        width.dimValue = Int64(columns)
        var shape = Onnx_TensorShapeProto()
        shape.dim = [batch, width]
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = type ?? elementType
        tensorType.shape = shape
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensorType
        return info
    }
}
