/// An ONNX operator with its attributes, as an activation or a head names the one that computes it.
public struct ONNXOperator: Sendable, Equatable {
    public enum Attribute: Sendable, Equatable {
        case float(String, Double)
        case int(String, Int)
    }

    /// The operator's name in the ONNX standard (opset 13): "Relu", "Softmax", ….
    public let type: String
    public let attributes: [Attribute]

    public init(type: String, attributes: [Attribute] = []) {
        self.type = type
        self.attributes = attributes
    }
}
