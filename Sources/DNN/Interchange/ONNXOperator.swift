/// An ONNX operator with its attributes, as an activation or a head names the one that computes it.
public struct ONNXOperator: Sendable, Equatable {
    /// One named attribute of the operator, written to the ONNX node as a float or an integer.
    public enum Attribute: Sendable, Equatable {
        /// A float attribute: its name and value (stored as a 32-bit float), as `alpha` of "LeakyRelu".
        case float(String, Double)
        /// An integer attribute: its name and value (stored as a 64-bit integer), as `transB` of "Gemm".
        case int(String, Int)
        /// A list of integers, as `cats_int64s` of "OneHotEncoder".
        case ints(String, [Int])
        /// A list of floats, as `values_floats` of "LabelEncoder".
        case floats(String, [Double])
        /// A list of strings, as `keys_strings` of "LabelEncoder".
        case strings(String, [String])
    }

    /// The operator's name in the ONNX standard (opset 13): "Relu", "Softmax", ….
    public let type: String
    /// The operator's attributes, in the order they are written; none for most operators.
    public let attributes: [Attribute]
    /// The operator set it belongs to: "" for the standard one, "ai.onnx.ml" for the encoders.
    public let domain: String

    /// The operator `type` of `domain` (the standard one by default) with `attributes` (none by
    /// default).
    public init(type: String, attributes: [Attribute] = [], domain: String = "") {
        self.type = type
        self.attributes = attributes
        self.domain = domain
    }
}
